package io.serval.operator.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.configuration.DurationConverter;
import io.serval.operator.OperatorConfig;
import io.serval.operator.canary.RevisionOutcomeLedger;
import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.control.ResourcesChanged;
import io.serval.operator.rollout.RolloutDriver;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaRuntime;
import io.serval.operator.runtime.local.LocalRuntimeConfig;
import io.serval.operator.state.StateStore;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
            .withMapping(LocalRuntimeConfig.class)
            .withMapping(KubernetesRuntimeConfig.class)
            .build();
    OperatorConfig operatorConfig = config.getConfigMapping(OperatorConfig.class);
    LocalRuntimeConfig localConfig = config.getConfigMapping(LocalRuntimeConfig.class);
    TestEvent<ResourcesChanged> changed = new TestEvent<>();
    registry = new ResourceRegistry(new StateStore(stateDir), operatorConfig, changed, clock);
    controller =
        new KubernetesController(
            client,
            config.getConfigMapping(KubernetesRuntimeConfig.class),
            registry,
            operatorConfig.routerUrl(),
            operatorConfig.autoscalerTick(),
            localConfig.crashLoopRestarts(),
            api -> {},
            clock);
    changed.listen(e -> controller.poke());
    runtime = runtime(controller);
    rollouts =
        new RolloutDriver(
            registry,
            runtime,
            localConfig,
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

  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
