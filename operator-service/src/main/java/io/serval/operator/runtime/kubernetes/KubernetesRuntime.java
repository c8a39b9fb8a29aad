package io.serval.operator.runtime.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.serval.operator.OperatorConfig;
import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.runtime.EndpointsListener;
import io.serval.operator.runtime.LeaderState;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaRuntime;
import io.serval.operator.runtime.kubernetes.config.KubernetesRuntimeConfig;
import io.serval.operator.status.ApiStatusBuilder;
import io.serval.operator.status.SplitterStatusBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;

/**
 * serval.operator.runtime=kubernetes: specs are custom resources, revisions Deployments and
 * Services, replicas the ready endpoints of their EndpointSlices. See {@link KubernetesController}.
 */
// Typed: the ReplicaRuntime the app uses comes from RuntimeSelection, which picks by config.
@ApplicationScoped
@Typed(KubernetesRuntime.class)
public class KubernetesRuntime implements ReplicaRuntime {

  private final KubernetesController controller;
  private volatile boolean started;

  @Inject
  public KubernetesRuntime(
      KubernetesClient client,
      KubernetesRuntimeConfig config,
      OperatorConfig operatorConfig,
      ResourceRegistry registry,
      ApiStatusBuilder statusBuilder,
      SplitterStatusBuilder splitterStatusBuilder,
      EndpointsListener endpoints,
      Clock clock) {
    this.controller =
        new KubernetesController(
            client,
            config,
            registry,
            operatorConfig.autoscalerTick(),
            statusBuilder,
            splitterStatusBuilder,
            endpoints,
            clock);
  }

  /**
   * Started by {@link io.serval.operator.orchestration.RuntimeSelection} only when this runtime is
   * chosen.
   */
  public synchronized void start() {
    if (!started) {
      started = true;
      controller.start();
    }
  }

  @Override
  public void desiredStateChanged() {
    if (started) {
      controller.poke();
    }
  }

  void onStop(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
    if (started) {
      controller.close();
    }
  }

  @Override
  public List<ReplicaInfo> replicas(String api) {
    return controller.replicas(api);
  }

  @Override
  public long observedGeneration(String api) {
    return controller.observedGeneration(api);
  }

  @Override
  public boolean tracksReadiness() {
    return true;
  }

  @Override
  public List<String> logs(String api, int maxLines) {
    return controller.logs(api, maxLines);
  }

  @Override
  public LeaderState leaderState() {
    return controller.leaderState();
  }
}
