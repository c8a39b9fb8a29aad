package io.serval.operator.api;

import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.runtime.ReplicaRuntime;
import io.serval.operator.spec.ModelSpec;
import io.serval.operator.spec.RealtimeApiSpec;
import io.serval.operator.spec.Resource;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.SplitterRecord;
import io.serval.operator.status.ApiStatus;
import io.serval.operator.status.ApiStatusBuilder;
import io.serval.operator.status.ConditionStatus;
import io.serval.operator.status.SplitterStatusBuilder;
import io.serval.security.UriRedaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/** Builds API and splitter views from the registry and the runtime. */
@ApplicationScoped
public class Views {

  private final ResourceRegistry registry;
  private final ReplicaRuntime runtime;
  private final ApiStatusBuilder statusBuilder;
  private final SplitterStatusBuilder splitterStatusBuilder;

  @Inject
  public Views(
      ResourceRegistry registry,
      ReplicaRuntime runtime,
      ApiStatusBuilder statusBuilder,
      SplitterStatusBuilder splitterStatusBuilder) {
    this.registry = registry;
    this.runtime = runtime;
    this.statusBuilder = statusBuilder;
    this.splitterStatusBuilder = splitterStatusBuilder;
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
    return new SplitterView(
        Resource.API_VERSION,
        r.splitter().kind(),
        new ResourceMetadata(r.name(), r.generation(), r.createdAt(), r.updatedAt()),
        r.splitter().spec(),
        splitterStatusBuilder.build(r, this::apiReady, r.generation()));
  }

  private Optional<ConditionStatus> apiReady(String name) {
    return registry.api(name).map(a -> api(a).status().ready());
  }
}
