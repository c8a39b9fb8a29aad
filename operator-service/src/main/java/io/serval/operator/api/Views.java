package io.serval.operator.api;

import io.serval.operator.OperatorConfig;
import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.runtime.ReplicaRuntime;
import io.serval.operator.runtime.local.LocalRuntimeConfig;
import io.serval.operator.spec.ModelSpec;
import io.serval.operator.spec.RealtimeApiSpec;
import io.serval.operator.spec.Resource;
import io.serval.operator.spec.SplitTarget;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.SplitterRecord;
import io.serval.operator.status.ApiStatus;
import io.serval.operator.status.ApiStatusBuilder;
import io.serval.operator.status.Condition;
import io.serval.security.UriRedaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/** Builds API and splitter views from the registry and the runtime. */
@ApplicationScoped
public class Views {

  private final ResourceRegistry registry;
  private final ReplicaRuntime runtime;
  private final ApiStatusBuilder statusBuilder;
  private final String routerUrl;

  @Inject
  public Views(
      ResourceRegistry registry,
      ReplicaRuntime runtime,
      OperatorConfig config,
      LocalRuntimeConfig localConfig) {
    this.registry = registry;
    this.runtime = runtime;
    this.routerUrl = config.routerUrl().replaceAll("/+$", "");
    this.statusBuilder =
        new ApiStatusBuilder(routerUrl, localConfig.crashLoopRestarts(), runtime.tracksReadiness());
  }

  public ApiView api(ApiRecord r) {
    ApiStatus status =
        statusBuilder.build(r, runtime.replicas(r.name()), runtime.observedGeneration(r.name()));
    return new ApiView(
        r.api().apiVersion(),
        r.api().kind(),
        new ResourceMetadata(r.name(), r.generation(), r.createdAt(), r.updatedAt()),
        shown(r.api().spec()),
        status);
  }

  /** The spec as shown: credentials in the model URI hidden (the stored spec keeps them). */
  static RealtimeApiSpec shown(RealtimeApiSpec spec) {
    ModelSpec m = spec.model();
    if (m == null || m.uri() == null) {
      return spec;
    }
    String uri = UriRedaction.redact(m.uri());
    return uri.equals(m.uri())
        ? spec
        : spec.withRevisionSections(
            new ModelSpec(uri, m.platform(), m.sha256()), spec.predictor(), spec.compute());
  }

  public SplitterView splitter(SplitterRecord r) {
    List<String> notReady = new ArrayList<>();
    for (SplitTarget t : r.splitter().spec().apis()) {
      if (t.shadow()) {
        continue;
      }
      boolean ready =
          registry
              .api(t.name())
              .map(a -> api(a).status().conditions().getFirst())
              .map(c -> !"False".equals(c.status()))
              .orElse(false);
      if (!ready) {
        notReady.add(t.name());
      }
    }
    Condition readyCondition =
        notReady.isEmpty()
            ? Condition.of("Ready", true, "AllApisReady", "every API behind the splitter is ready")
            : Condition.of(
                "Ready", false, "ApisNotReady", "not ready: " + String.join(", ", notReady));
    return new SplitterView(
        Resource.API_VERSION,
        r.splitter().kind(),
        new ResourceMetadata(r.name(), r.generation(), r.createdAt(), r.updatedAt()),
        r.splitter().spec(),
        new SplitterView.Status(
            r.generation(), List.of(readyCondition), routerUrl + "/v2/models/" + r.name()));
  }
}
