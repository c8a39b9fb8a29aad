package io.serval.store;

import java.util.Objects;

/**
 * An async request as accepted: the V2 request body exactly as it arrived, and how the result is to
 * be returned.
 *
 * @param id unique request id (the caller makes it; it is the primary key)
 * @param api the API the request is for
 * @param contentType the request body's content type (JSON, or the binary tensor extension's)
 * @param accept what the client asked the result to be returned as; empty for the default
 * @param body the request body
 */
public record NewAsyncRequest(
    String id, String api, String contentType, String accept, byte[] body) {
  public NewAsyncRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(contentType, "contentType");
    accept = accept == null ? "" : accept;
    Objects.requireNonNull(body, "body");
  }
}
