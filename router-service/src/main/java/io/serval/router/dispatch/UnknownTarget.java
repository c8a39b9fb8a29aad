package io.serval.router.dispatch;

import io.grpc.Status;
import io.serval.router.routing.RouteTableHolder;

/**
 * The one answer to a name the routes do not have. Before the router's first routes arrive (a
 * router just started or restarted) no name is known to be unknown: the answer is then UNAVAILABLE,
 * which clients retry (REST: 503 with Retry-After), not NOT_FOUND, which they must not. Without
 * this, every router restart lost the requests that reached it in that window.
 */
public final class UnknownTarget {
  private UnknownTarget() {}

  public static Status status(RouteTableHolder routes, String name) {
    if (!routes.loaded()) {
      return Status.UNAVAILABLE.withDescription(
          "the router has no routes yet (it is starting); retry '" + name + "'");
    }
    return Status.NOT_FOUND.withDescription("no API or traffic splitter named '" + name + "'");
  }
}
