package io.serval.operator.runtime;

import io.serval.operator.OperatorConfig;
import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.kubernetes.KubernetesRuntime;
import io.serval.operator.runtime.local.LocalRuntime;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Picks the runtime named by serval.operator.runtime. */
public class RuntimeProducer {

  @Produces
  @Singleton
  ReplicaRuntime runtime(
      OperatorConfig config,
      ResourceRegistry registry,
      Instance<LocalRuntime> local,
      Instance<KubernetesRuntime> kubernetes) {
    return switch (config.runtime()) {
      case none -> new DetachedRuntime(registry);
      case local -> {
        LocalRuntime runtime = local.get();
        runtime.start();
        yield runtime;
      }
      case kubernetes -> {
        KubernetesRuntime runtime = kubernetes.get();
        runtime.start();
        yield runtime;
      }
    };
  }
}
