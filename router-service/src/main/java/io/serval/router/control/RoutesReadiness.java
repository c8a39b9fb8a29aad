package io.serval.router.control;

import io.serval.router.routing.RouteTableHolder;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once routes arrived; a router without routes could only answer 404. */
@Readiness
@Singleton
public class RoutesReadiness implements HealthCheck {
  private final RouteTableHolder routes;

  public RoutesReadiness(RouteTableHolder routes) {
    this.routes = routes;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("routes")
        .status(routes.loaded())
        .withData("version", routes.current().version())
        .build();
  }
}
