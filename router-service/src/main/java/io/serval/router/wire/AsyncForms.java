package io.serval.router.wire;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * How the router keeps an async request and its result in the store. The request is kept decoded,
 * as the serialized ModelInferRequest the dispatcher forwards (checked and decoded once, at
 * intake); the result as the REST body the client asked for (JSON, or the binary tensor extension),
 * with the binary extension's JSON header length carried in its content type, so that {@code GET}
 * answers exactly what the realtime path would have.
 */
public final class AsyncForms {
  /** The stored request's content type. */
  public static final String REQUEST_TYPE =
      "application/x-protobuf; message=inference.ModelInferRequest";

  private static final String HEADER_LENGTH_PARAM = "inference-header-content-length=";

  private AsyncForms() {}

  /** A result's stored content type: {@code contentType}, and the binary header length if any. */
  public static String resultType(String contentType, OptionalInt headerLength) {
    return headerLength.isPresent()
        ? contentType + "; " + HEADER_LENGTH_PARAM + headerLength.getAsInt()
        : contentType;
  }

  /** A stored result's content type, for the Content-Type header. */
  public static String contentType(String resultType) {
    int semicolon = resultType.indexOf(';');
    return (semicolon < 0 ? resultType : resultType.substring(0, semicolon)).trim();
  }

  /** The binary extension's JSON header length kept in a stored result's content type. */
  public static OptionalInt headerLength(String resultType) {
    int at = resultType.toLowerCase(Locale.ROOT).indexOf(HEADER_LENGTH_PARAM);
    if (at < 0) {
      return OptionalInt.empty();
    }
    String rest = resultType.substring(at + HEADER_LENGTH_PARAM.length());
    int end = rest.indexOf(';');
    try {
      return OptionalInt.of(Integer.parseInt((end < 0 ? rest : rest.substring(0, end)).trim()));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }
}
