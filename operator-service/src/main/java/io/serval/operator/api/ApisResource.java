package io.serval.operator.api;

import io.serval.operator.control.ResourceNotFoundException;
import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaRuntime;
import io.serval.operator.state.ApiRecord;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** /v1/apis: list, get, delete, roll back, and read the replicas and logs of RealtimeApis. */
@Path("/v1/apis")
@Tag(name = "apis")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ApisResource {

  /** Upper bound on log lines per call, so one request cannot pull a whole log into memory. */
  static final int MAX_LOG_LINES = 10_000;

  @Inject ResourceRegistry registry;
  @Inject ReplicaRuntime runtime;
  @Inject Views views;

  @GET
  @Operation(summary = "All RealtimeApis with their status")
  public List<ApiView> list() {
    return registry.apis().stream().map(views::api).toList();
  }

  @GET
  @Path("{name}")
  @Operation(summary = "One RealtimeApi with its status")
  public ApiView get(@PathParam("name") String name) {
    return views.api(require(name));
  }

  @DELETE
  @Path("{name}")
  @SecurityRequirement(name = "bearer")
  @Operation(summary = "Delete an API (409 while a traffic splitter uses it)")
  public Map<String, String> delete(@PathParam("name") String name) {
    registry.deleteApi(name);
    return Map.of("deleted", name, "message", name + ": deleted");
  }

  @POST
  @Path("{name}/rollback")
  @SecurityRequirement(name = "bearer")
  @Operation(summary = "Roll back to the revision before the current one")
  public ApiView rollback(@PathParam("name") String name) {
    return views.api(registry.rollbackApi(name));
  }

  @GET
  @Path("{name}/replicas")
  @Operation(summary = "The API's replicas: revision, phase, restarts and why")
  public List<ReplicaView> replicas(@PathParam("name") String name) {
    require(name);
    return runtime.replicas(name).stream()
        .sorted(Comparator.comparing(ReplicaInfo::revision).thenComparing(ReplicaInfo::id))
        .map(ReplicaView::of)
        .toList();
  }

  @GET
  @Path("{name}/logs")
  @Produces(MediaType.TEXT_PLAIN)
  @Operation(summary = "The last lines of the API's replica logs")
  public String logs(
      @PathParam("name") String name, @QueryParam("lines") @DefaultValue("200") int lines) {
    require(name);
    // A replica logs its model URI (and fetch errors quote it): credentials in it stay hidden.
    List<String> out =
        runtime.logs(name, Math.max(1, Math.min(lines, MAX_LOG_LINES))).stream()
            .map(UriRedaction::redactIn)
            .toList();
    return out.isEmpty() ? "" : String.join("\n", out) + "\n";
  }

  private ApiRecord require(String name) {
    return registry
        .api(name)
        .orElseThrow(() -> new ResourceNotFoundException("no API named \"" + name + "\""));
  }
}
