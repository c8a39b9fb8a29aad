package io.serval.operator.orchestration;

import io.serval.operator.OperatorConfig;
import io.serval.operator.control.DeployLimits;
import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.runtime.DetachedRuntime;
import io.serval.operator.runtime.ReplicaRuntime;
import io.serval.operator.runtime.kubernetes.KubernetesRuntime;
import io.serval.operator.runtime.local.LocalDeployLimits;
import io.serval.operator.runtime.local.LocalRuntime;
import io.serval.operator.runtime.local.LocalRuntimeConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Picks the runtime named by serval.operator.runtime, and the deploy-time limits that come with it.
 * The only class that knows every runtime: a new runtime is added here and under runtime/.
 */
public class RuntimeSelection {

  @Produces
  @Singleton
  DeployLimits deployLimits(OperatorConfig config, Instance<LocalRuntimeConfig> local) {
    return config.runtime() == OperatorConfig.RuntimeKind.local
        ? new LocalDeployLimits(local.get())
        : DeployLimits.NONE;
  }

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
