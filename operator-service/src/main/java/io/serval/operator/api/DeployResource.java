package io.serval.operator.api;

import io.serval.operator.control.PlannedChange;
import io.serval.operator.control.ResourceRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** POST /v1/deploy: YAML or JSON, one or more resources, applied all or none. */
@Path("/v1/deploy")
@Tag(name = "deploy")
public class DeployResource {

  @Inject ResourceRegistry registry;

  @POST
  @Blocking
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  @SecurityRequirement(name = "bearer")
  @Operation(
      summary = "Create or update APIs and splitters",
      description =
          "Body: YAML (documents separated by ---) or JSON (an object or an array). Every resource"
              + " is validated first; any problem refuses all of them (400, each problem with its"
              + " field path). Applying the same spec again changes nothing (changed=false).")
  public DeployResponse deploy(
      @RequestBody(description = "RealtimeApi and TrafficSplitter resources") String body) {
    List<PlannedChange> plan = registry.deploy(body == null ? "" : body);
    boolean changed = plan.stream().anyMatch(c -> c.action() != PlannedChange.Action.unchanged);
    List<DeployResponse.Item> items =
        plan.stream()
            .map(
                c ->
                    new DeployResponse.Item(
                        c.kind(),
                        c.name(),
                        c.action().name(),
                        c.api() == null ? null : c.api().revision(),
                        c.generation(),
                        c.message()))
            .toList();
    String message =
        changed
            ? String.join("; ", plan.stream().map(PlannedChange::message).toList())
            : "nothing changed: every resource is already deployed as given";
    return new DeployResponse(changed, message, items);
  }
}
