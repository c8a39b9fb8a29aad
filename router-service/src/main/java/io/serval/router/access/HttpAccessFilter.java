package io.serval.router.access;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.serval.v2.V2Exception;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The first thing every HTTP request meets. A raw path that is not in canonical form is refused
 * with 400 ({@link RequestPaths#ambiguity}); then, when keys or networks are configured, every path
 * but the exact {@link RequestPaths#OPEN} ones is checked against the {@link AccessPolicy}.
 * Deciding on the raw path, with everything not explicitly open protected, means no spelling that
 * routing would normalise into a model path can pass unchecked.
 */
@Singleton
public class HttpAccessFilter {
  /** Runs before every other filter (the body size guard is 1000). */
  static final int PRIORITY = 3000;

  private final AccessPolicy policy;

  public HttpAccessFilter(AccessPolicy policy) {
    this.policy = policy;
  }

  void register(@Observes Filters filters) {
    filters.register(
        rc -> {
          String path = rc.request().path();
          String ambiguity = RequestPaths.ambiguity(path);
          if (ambiguity != null) {
            refuse(
                rc.response(),
                400,
                "the request path is not in canonical form: "
                    + ambiguity
                    + " (send /v2/models/{name}/infer and the like as written)");
            return;
          }
          if (policy.open() || RequestPaths.open(path)) {
            rc.next();
            return;
          }
          String key =
              AccessPolicy.keyFrom(
                  rc.request().getHeader("Authorization"), rc.request().getHeader("X-Api-Key"));
          switch (policy.check(key, address(rc.request().remoteAddress()))) {
            case ALLOW -> rc.next();
            case UNAUTHENTICATED ->
                refuse(
                    rc.response().putHeader("WWW-Authenticate", "Bearer"),
                    401,
                    "a valid API key is required (Authorization: Bearer <key> or X-Api-Key)");
            case FORBIDDEN ->
                refuse(rc.response(), 403, "client address is not in the allowed networks");
          }
        },
        PRIORITY);
  }

  private static void refuse(HttpServerResponse response, int status, String message) {
    // The body, if any, is not read: close the connection rather than drain it.
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close")
        .end(V2Exception.errorJson(message));
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
