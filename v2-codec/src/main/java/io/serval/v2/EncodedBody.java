package io.serval.v2;

import java.util.OptionalInt;

/**
 * A V2 REST response body ready to send.
 *
 * @param inferenceHeaderContentLength the JSON header length, present when binary tensor data
 *     follows it (send it as the {@code Inference-Header-Content-Length} header)
 * @param contentType {@code application/json}, or {@code application/octet-stream} with binary data
 */
public record EncodedBody(
    byte[] body, OptionalInt inferenceHeaderContentLength, String contentType) {

  public static final String JSON = "application/json";
  public static final String OCTET_STREAM = "application/octet-stream";

  /** Name of the binary tensor extension's header. */
  public static final String HEADER_LENGTH_HEADER = "Inference-Header-Content-Length";
}
