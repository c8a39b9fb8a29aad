package io.serval.client.v2;

import java.util.Optional;

/**
 * A call that failed. {@link #status()} is the HTTP status the router answered (on gRPC the HTTP
 * status of the same failure in Serval's contract), or -1 when no answer came; {@link #message()}
 * the router's error text (the {@code error} field of its V2 answer, or the gRPC description);
 * {@link #attempts()} how many times the request was sent.
 */
public class ServalException extends RuntimeException {

  private final int status;
  private final String grpcCode;
  private final String message;
  private final int attempts;

  public ServalException(
      int status, String grpcCode, String message, int attempts, Throwable cause) {
    super(describe(status, grpcCode, message, attempts), cause);
    this.status = status;
    this.grpcCode = grpcCode;
    this.message = message;
    this.attempts = attempts;
  }

  private static String describe(int status, String grpcCode, String message, int attempts) {
    String head =
        grpcCode != null ? "gRPC " + grpcCode + ": " : status >= 0 ? "HTTP " + status + ": " : "";
    return head + message + (attempts > 1 ? " (after " + attempts + " attempts)" : "");
  }

  /** The HTTP status (on gRPC, the contract's HTTP status of the code); -1 when none came. */
  public int status() {
    return status;
  }

  /** The gRPC status code's name on the gRPC transport. */
  public Optional<String> grpcCode() {
    return Optional.ofNullable(grpcCode);
  }

  /** The router's error text. */
  public String message() {
    return message;
  }

  /** How many times the request was sent (0 when the deadline passed before the first). */
  public int attempts() {
    return attempts;
  }
}
