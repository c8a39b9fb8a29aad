package io.serval.router.rest;

import io.serval.router.routing.RouteTableHolder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code GET /ready}: the short readiness probe load balancers expect (same as V2 ready). */
@Path("/ready")
public class ReadyResource {
  private final RouteTableHolder routes;

  public ReadyResource(RouteTableHolder routes) {
    this.routes = routes;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response ready() {
    return V2Resource.serverReady(routes);
  }
}
