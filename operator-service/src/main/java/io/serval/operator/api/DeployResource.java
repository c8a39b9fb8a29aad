package io.serval.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.serval.operator.control.DryRun;
import io.serval.operator.control.PlannedChange;
import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.revision.FieldDiff;
import io.serval.security.UriRedaction;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** POST /v1/deploy: YAML or JSON, one or more resources, applied all or none (or planned only). */
@Path("/v1/deploy")
@Tag(name = "deploy")
public class DeployResource {

  private static final String MODEL_URI = "spec.model.uri";

  @Inject ResourceRegistry registry;

  /** The mapper GET /v1/apis answers with, so that old and new values read as `get` shows them. */
  @Inject ObjectMapper mapper;

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
              + " field path). Applying the same spec again changes nothing (changed=false). With"
              + " dryRun=true the same validation, plan and limits run, the answer is the same, and"
              + " nothing is stored; each resource also lists the fields it would change.")
  public DeployResponse deploy(
      @RequestBody(description = "RealtimeApi and TrafficSplitter resources") String body,
      @Parameter(
              description = "Plan and validate only; store nothing (as kubectl --dry-run=server)")
          @QueryParam("dryRun")
          boolean dryRun) {
    String text = body == null ? "" : body;
    if (dryRun) {
      DryRun run = registry.plan(text);
      return response(run.plan(), true, c -> Optional.of(changes(run, c)));
    }
    return response(registry.deploy(text), false, c -> Optional.empty());
  }

  private static DeployResponse response(
      List<PlannedChange> plan,
      boolean dryRun,
      Function<PlannedChange, Optional<List<DeployResponse.Change>>> changes) {
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
                        c.message(),
                        changes.apply(c).orElse(null)))
            .toList();
    String message =
        changed
            ? String.join("; ", plan.stream().map(PlannedChange::message).toList())
            : "nothing changed: every resource is already deployed as given";
    return new DeployResponse(
        changed, dryRun, dryRun ? "dry run, nothing applied: " + message : message, items);
  }

  /** The spec fields the change alters, against the record it replaces (none for a new one). */
  private List<DeployResponse.Change> changes(DryRun run, PlannedChange c) {
    Object before;
    Object after;
    if (c.api() != null) {
      before = run.apiBefore(c.name()).map(r -> r.api().spec()).orElse(null);
      after = c.api().api().spec();
    } else {
      before = run.splitterBefore(c.name()).map(r -> r.splitter().spec()).orElse(null);
      after = c.splitter().splitter().spec();
    }
    if (before == null) {
      return List.of();
    }
    return FieldDiff.between("spec", mapper.valueToTree(before), mapper.valueToTree(after)).stream()
        .map(
            f ->
                new DeployResponse.Change(
                    f.path(), shown(f.path(), f.from()), shown(f.path(), f.to())))
        .toList();
  }

  /**
   * A value as the management API may show it: credentials in a model URI hidden, as GET does. A
   * change of credentials alone still shows up, as its path with both values redacted.
   */
  private static JsonNode shown(String path, JsonNode value) {
    if (value != null && value.isTextual() && path.equals(MODEL_URI)) {
      return TextNode.valueOf(UriRedaction.redact(value.asText()));
    }
    return value;
  }
}
