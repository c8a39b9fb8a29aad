package io.serval.router.access;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.serval.v2.V2Exception;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Applies the {@link AccessPolicy} to the REST model endpoints ({@code /v2/models/...}). */
@Singleton
public class HttpAccessFilter {
  private final AccessPolicy policy;

  public HttpAccessFilter(AccessPolicy policy) {
    this.policy = policy;
  }

  void register(@Observes Filters filters) {
    if (policy.open()) {
      return;
    }
    filters.register(
        rc -> {
          if (!rc.request().path().startsWith("/v2/models")) {
            rc.next();
            return;
          }
          String key =
              AccessPolicy.keyFrom(
                  rc.request().getHeader("Authorization"), rc.request().getHeader("X-Api-Key"));
          switch (policy.check(key, address(rc.request().remoteAddress()))) {
            case ALLOW -> rc.next();
            case UNAUTHENTICATED ->
                rc.response()
                    .setStatusCode(401)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("WWW-Authenticate", "Bearer")
                    .end(
                        V2Exception.errorJson(
                            "a valid API key is required (Authorization: Bearer <key> or"
                                + " X-Api-Key)"));
            case FORBIDDEN ->
                rc.response()
                    .setStatusCode(403)
                    .putHeader("Content-Type", "application/json")
                    .end(V2Exception.errorJson("client address is not in the allowed networks"));
          }
        },
        2000);
  }

  private static InetAddress address(SocketAddress remote) {
    if (remote == null || remote.hostAddress() == null) {
      return null;
    }
    try {
      return InetAddress.getByName(remote.hostAddress()); // an IP literal: no lookup
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
