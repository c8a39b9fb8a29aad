package io.serval.router.rest;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.serval.router.config.RouterConfig;
import io.serval.v2.V2Exception;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Refuses an inference body larger than serval.router.max-message-size from its Content-Length,
 * before it is read, with a V2 error (413). Bodies without a Content-Length are held to the same
 * limit by quarkus.http.limits.max-body-size.
 */
@Singleton
public class BodySizeGuard {
  private final long maxBytes;

  public BodySizeGuard(RouterConfig config) {
    this.maxBytes = config.maxMessageSize().asLongValue();
  }

  void register(@Observes Filters filters) {
    filters.register(
        rc -> {
          if (rc.request().method() == HttpMethod.POST) {
            String length = rc.request().getHeader("Content-Length");
            if (length != null) {
              long n;
              try {
                n = Long.parseLong(length.trim());
              } catch (NumberFormatException e) {
                n = -1;
              }
              if (n > maxBytes) {
                rc.response()
                    .setStatusCode(413)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Connection", "close")
                    .end(tooLarge(n, maxBytes).errorJson());
                return;
              }
            }
          }
          rc.next();
        },
        1000);
  }

  static V2Exception tooLarge(long size, long max) {
    return V2Exception.payloadTooLarge(
        "request body of "
            + size
            + " bytes exceeds the limit of "
            + max
            + " bytes (serval.router.max-message-size)");
  }
}
