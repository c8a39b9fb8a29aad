package io.serval.operator.api;

import io.serval.operator.control.ResourceNotFoundException;
import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.runtime.ReplicaRuntime;
import io.serval.operator.spec.SplitTarget;
import io.serval.operator.state.SplitterRecord;
import io.serval.security.UriRedaction;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** /v1/splitters: list, get, delete, roll back and read the logs of TrafficSplitters. */
@Path("/v1/splitters")
@Tag(name = "splitters")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SplittersResource {

  @Inject ResourceRegistry registry;
  @Inject ReplicaRuntime runtime;
  @Inject Views views;

  @GET
  @Operation(summary = "All TrafficSplitters")
  public List<SplitterView> list() {
    return registry.splitters().stream().map(views::splitter).toList();
  }

  @GET
  @Path("{name}")
  @Operation(summary = "One TrafficSplitter")
  public SplitterView get(@PathParam("name") String name) {
    return views.splitter(require(name));
  }

  @DELETE
  @Path("{name}")
  @SecurityRequirement(name = "bearer")
  @Operation(summary = "Delete a splitter (its APIs stay)")
  public Map<String, String> delete(@PathParam("name") String name) {
    registry.deleteSplitter(name);
    return Map.of("deleted", name, "message", name + ": deleted");
  }

  @POST
  @Path("{name}/rollback")
  @SecurityRequirement(name = "bearer")
  @Operation(summary = "Return to the splitter's previous weights")
  public SplitterView rollback(@PathParam("name") String name) {
    return views.splitter(registry.rollbackSplitter(name));
  }

  @GET
  @Path("{name}/logs")
  @Produces(MediaType.TEXT_PLAIN)
  @Operation(summary = "The last lines of the logs of every API behind the splitter")
  public String logs(
      @PathParam("name") String name, @QueryParam("lines") @DefaultValue("200") int lines) {
    SplitterRecord s = require(name);
    int n = Math.max(1, Math.min(lines, ApisResource.MAX_LOG_LINES));
    List<String> out = new ArrayList<>();
    for (SplitTarget t : s.splitter().spec().apis()) {
      runtime
          .logs(t.name(), n)
          .forEach(line -> out.add("[" + t.name() + "] " + UriRedaction.redactIn(line)));
    }
    return out.isEmpty() ? "" : String.join("\n", out) + "\n";
  }

  private SplitterRecord require(String name) {
    return registry
        .splitter(name)
        .orElseThrow(
            () -> new ResourceNotFoundException("no traffic splitter named \"" + name + "\""));
  }
}
