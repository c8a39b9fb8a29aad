package io.serval.operator.runtime.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.configuration.DurationConverter;
import io.serval.operator.MutableClock;
import io.serval.operator.OperatorConfig;
import io.serval.operator.canary.RevisionOutcomeLedger;
import io.serval.operator.control.DeployLimits;
import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.orchestration.RolloutDriver;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaRuntime;
import io.serval.operator.runtime.kubernetes.config.KubernetesRuntimeConfig;
import io.serval.operator.state.StateStore;
import io.serval.operator.status.ApiStatusBuilder;
import io.serval.operator.status.SplitterStatusBuilder;
import io.serval.operator.status.TransitionTimes;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One operator replica outside CDI, wired as the application wires it: a registry on its own state
 * directory, the Kubernetes controller, and the rollout driver ticked by the test on a test clock.
 */
final class OperatorRig implements AutoCloseable {

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final ResourceRegistry registry;
  final KubernetesController controller;
  final RolloutDriver rollouts;
  final ReplicaRuntime runtime;

  OperatorRig(KubernetesClient client, Path stateDir, Map<String, String> settings) {
    Map<String, String> all = new HashMap<>();
    all.put("serval.operator.state-dir", stateDir.toString());
    all.put("serval.operator.runtime", "kubernetes");
    all.put("serval.operator.kubernetes.namespace", "test");
    all.put("serval.operator.kubernetes.leader-election.enabled", "false");
    all.put("serval.operator.kubernetes.reconcile-interval", "200ms");
    all.put("serval.operator.kubernetes.resync", "5s");
    all.putAll(settings);
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .addDefaultSources()
            .withDefaultValues(all)
            // Quarkus's duration syntax (10s, 200ms), as the application reads it.
            .withConverter(Duration.class, 100, new DurationConverter())
            .withMapping(OperatorConfig.class)
            .withMapping(KubernetesRuntimeConfig.class)
            .build();
    OperatorConfig operatorConfig = config.getConfigMapping(OperatorConfig.class);
    // The registry tells the controller of each change, as ChangePropagation does in the service.
    AtomicReference<KubernetesController> poked = new AtomicReference<>();
    registry =
        new ResourceRegistry(
            new StateStore(stateDir),
            operatorConfig,
            DeployLimits.NONE,
            change -> poked.get().poke(),
            clock);
    ApiStatusBuilder statuses =
        new ApiStatusBuilder(
            operatorConfig.routerUrl(),
            operatorConfig.crashLoopRestarts(),
            true,
            new TransitionTimes(clock));
    controller =
        new KubernetesController(
            client,
            config.getConfigMapping(KubernetesRuntimeConfig.class),
            registry,
            operatorConfig.autoscalerTick(),
            statuses,
            new SplitterStatusBuilder(operatorConfig.routerUrl(), new TransitionTimes(clock)),
            api -> {},
            clock);
    poked.set(controller);
    runtime = runtime(controller);
    rollouts =
        new RolloutDriver(
            registry,
            runtime,
            statuses,
            clock,
            new RevisionOutcomeLedger(operatorConfig.outcomeRetention()));
  }

  OperatorRig start() {
    controller.start();
    return this;
  }

  /** One step of the rollout driver, as its timer would run it, at the test clock's time. */
  void tickRollouts() {
    rollouts.tick(clock.instant());
  }

  @Override
  public void close() {
    controller.close();
  }

  private static ReplicaRuntime runtime(KubernetesController c) {
    return new ReplicaRuntime() {
      @Override
      public List<ReplicaInfo> replicas(String api) {
        return c.replicas(api);
      }

      @Override
      public long observedGeneration(String api) {
        return c.observedGeneration(api);
      }

      @Override
      public boolean tracksReadiness() {
        return true;
      }

      @Override
      public List<String> logs(String api, int maxLines) {
        return c.logs(api, maxLines);
      }
    };
  }
}
