package io.serval.operator.runtime;

import io.serval.operator.control.ResourceRegistry;
import java.util.List;

/**
 * serval.operator.runtime=none: specs, revisions and routes without replicas (replicas run
 * elsewhere, or in tests of the control plane).
 */
public final class DetachedRuntime implements ReplicaRuntime {

  private final ResourceRegistry registry;

  public DetachedRuntime(ResourceRegistry registry) {
    this.registry = registry;
  }

  @Override
  public List<ReplicaInfo> replicas(String api) {
    return List.of();
  }

  @Override
  public long observedGeneration(String api) {
    return registry.api(api).map(r -> r.generation()).orElse(0L);
  }

  @Override
  public boolean tracksReadiness() {
    return false;
  }

  @Override
  public List<String> logs(String api, int maxLines) {
    return List.of();
  }
}
