package io.serval.v2;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.grpc.Status;

/**
 * A V2 protocol failure that both transports can report: an HTTP status with the V2 error body
 * {@code {"error": "..."}}, or a gRPC status with the same message.
 */
public class V2Exception extends RuntimeException {

  /** The failure classes of the Serval contract, with their HTTP and gRPC codes. */
  public enum Kind {
    INVALID_ARGUMENT(400, Status.Code.INVALID_ARGUMENT),
    NOT_FOUND(404, Status.Code.NOT_FOUND),
    PAYLOAD_TOO_LARGE(413, Status.Code.RESOURCE_EXHAUSTED),
    UNAVAILABLE(503, Status.Code.UNAVAILABLE),
    RESOURCE_EXHAUSTED(503, Status.Code.RESOURCE_EXHAUSTED),
    DEADLINE_EXCEEDED(504, Status.Code.DEADLINE_EXCEEDED),
    INTERNAL(500, Status.Code.INTERNAL),
    /** 499 is the de-facto "client closed request" code (nginx); there is no standard one. */
    CANCELLED(499, Status.Code.CANCELLED);

    private final int httpStatus;
    private final Status.Code grpcCode;

    Kind(int httpStatus, Status.Code grpcCode) {
      this.httpStatus = httpStatus;
      this.grpcCode = grpcCode;
    }

    public int httpStatus() {
      return httpStatus;
    }

    public Status.Code grpcCode() {
      return grpcCode;
    }
  }

  private final Kind kind;

  public V2Exception(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public V2Exception(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public int httpStatus() {
    return kind.httpStatus();
  }

  /** The gRPC status with the matching code, the message as description and this as cause. */
  public Status grpcStatus() {
    return Status.fromCode(kind.grpcCode()).withDescription(getMessage()).withCause(this);
  }

  /** The V2 error body for this failure. */
  public String errorJson() {
    return errorJson(getMessage());
  }

  /**
   * Maps a gRPC status (e.g. from a predictor the router called) back to a V2Exception, so the REST
   * side answers with the matching HTTP status.
   */
  public static V2Exception fromStatus(Status status) {
    Kind kind = kindOf(status.getCode());
    String description = status.getDescription();
    String message = description != null ? description : status.getCode().name();
    return new V2Exception(kind, message, status.getCause());
  }

  /**
   * The failure kind of a gRPC code other than OK: the one rule for what a REST client is answered
   * when the gRPC side failed (and so for every count that reports it in HTTP terms).
   */
  public static Kind kindOf(Status.Code code) {
    return switch (code) {
      case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION, ALREADY_EXISTS ->
          Kind.INVALID_ARGUMENT;
      case NOT_FOUND -> Kind.NOT_FOUND;
      case UNAVAILABLE -> Kind.UNAVAILABLE;
      case RESOURCE_EXHAUSTED -> Kind.RESOURCE_EXHAUSTED;
      case DEADLINE_EXCEEDED -> Kind.DEADLINE_EXCEEDED;
      case CANCELLED -> Kind.CANCELLED;
      default -> Kind.INTERNAL;
    };
  }

  /** {@code {"error":"<message>"}} with the message JSON-escaped. */
  public static String errorJson(String message) {
    String text = message == null ? "" : message;
    char[] escaped = JsonStringEncoder.getInstance().quoteAsString(text);
    return new StringBuilder(escaped.length + 12)
        .append("{\"error\":\"")
        .append(escaped)
        .append("\"}")
        .toString();
  }

  public static V2Exception invalid(String message) {
    return new V2Exception(Kind.INVALID_ARGUMENT, message);
  }

  public static V2Exception notFound(String message) {
    return new V2Exception(Kind.NOT_FOUND, message);
  }

  public static V2Exception payloadTooLarge(String message) {
    return new V2Exception(Kind.PAYLOAD_TOO_LARGE, message);
  }

  public static V2Exception unavailable(String message) {
    return new V2Exception(Kind.UNAVAILABLE, message);
  }

  public static V2Exception resourceExhausted(String message) {
    return new V2Exception(Kind.RESOURCE_EXHAUSTED, message);
  }

  public static V2Exception deadlineExceeded(String message) {
    return new V2Exception(Kind.DEADLINE_EXCEEDED, message);
  }

  public static V2Exception internal(String message) {
    return new V2Exception(Kind.INTERNAL, message);
  }

  public static V2Exception internal(String message, Throwable cause) {
    return new V2Exception(Kind.INTERNAL, message, cause);
  }

  public static V2Exception cancelled(String message) {
    return new V2Exception(Kind.CANCELLED, message);
  }
}
