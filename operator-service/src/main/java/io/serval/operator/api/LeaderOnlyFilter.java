package io.serval.operator.api;

import io.serval.operator.runtime.ReplicaRuntime;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Changes (anything but GET and HEAD) go to the leader only: a follower answers 503 with
 * Retry-After and a message naming the leader, so that a client retrying through the Service
 * reaches it. Runs after authentication, so that an unauthenticated caller learns nothing. A
 * deploy's dry run is refused too although it stores nothing: its plan must be made against the
 * leader's state, which a follower's copy can lag.
 */
public class LeaderOnlyFilter {

  private static final Set<String> READS = Set.of("GET", "HEAD");

  /** Seconds a client waits before retrying: about one lease retry period. */
  static final String RETRY_AFTER = "2";

  @Inject ReplicaRuntime runtime;

  @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
  public Optional<Response> leaderOnly(ContainerRequestContext ctx) {
    if (READS.contains(ctx.getMethod())) {
      return Optional.empty();
    }
    return runtime
        .leaderState()
        .refusal()
        .map(
            why ->
                Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER)
                    .type("application/json")
                    .entity(new ErrorBody(why))
                    .build());
  }
}
