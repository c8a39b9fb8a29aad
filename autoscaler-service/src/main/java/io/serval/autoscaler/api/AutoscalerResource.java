package io.serval.autoscaler.api;

import io.serval.autoscaler.control.ApiDecisions;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** Explains the autoscaler's decisions. */
@Path("/v1/autoscaler/apis")
@Produces(MediaType.APPLICATION_JSON)
public class AutoscalerResource {

  private final ApiDecisions decisions;

  public AutoscalerResource(ApiDecisions decisions) {
    this.decisions = decisions;
  }

  /** Every autoscaled API with its last decision. */
  @GET
  public List<DecisionView> list() {
    return decisions.all().stream().map(DecisionView::of).toList();
  }

  /** One API's last decision; 404 with {@code {"error": ...}} when the API is not autoscaled. */
  @GET
  @Path("/{name}")
  public Response get(@PathParam("name") String name) {
    return decisions
        .find(name)
        .map(e -> Response.ok(DecisionView.of(e)).build())
        .orElseGet(
            () ->
                Response.status(Response.Status.NOT_FOUND)
                    .entity(
                        Map.of(
                            "error",
                            "API '"
                                + name
                                + "' is not autoscaled (known: "
                                + String.join(
                                    ", ", decisions.all().stream().map(x -> x.name()).toList())
                                + ")"))
                    .build());
  }
}
