package io.serval.operator.rollout;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.serval.operator.canary.RevisionOutcomeLedger;
import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.runtime.EndpointsChanged;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaRuntime;
import io.serval.operator.runtime.local.LocalRuntimeConfig;
import io.serval.operator.state.ApiRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Advances running rollouts with {@link RolloutStateMachine}: every second, and at once when a
 * replica enters or leaves the routes. Each tick shows the machine what the old and new revisions'
 * replicas answered since the current step began. Aborted rollouts restore the old revision's spec.
 */
@ApplicationScoped
public class RolloutDriver {

  private static final Logger LOG = Logger.getLogger(RolloutDriver.class);

  @Inject ResourceRegistry registry;
  @Inject ReplicaRuntime runtime;
  @Inject LocalRuntimeConfig localConfig;
  @Inject Clock clock;
  @Inject RevisionOutcomeLedger outcomes;

  private ScheduledExecutorService timer;

  RolloutDriver() {}

  /** Outside CDI: drives the rollouts of a registry over a runtime, by explicit {@link #tick}. */
  public RolloutDriver(
      ResourceRegistry registry,
      ReplicaRuntime runtime,
      LocalRuntimeConfig localConfig,
      Clock clock,
      RevisionOutcomeLedger outcomes) {
    this.registry = registry;
    this.runtime = runtime;
    this.localConfig = localConfig;
    this.clock = clock;
    this.outcomes = outcomes;
  }

  void onStart(@Observes StartupEvent event) {
    if (!runtime.tracksReadiness()) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("serval-rollouts").daemon().unstarted(r));
    timer.scheduleWithFixedDelay(this::tickSafely, 1, 1, TimeUnit.SECONDS);
  }

  void onEndpoints(@Observes EndpointsChanged event) {
    if (timer != null) {
      timer.execute(this::tickSafely);
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  private void tickSafely() {
    try {
      tick(clock.instant());
    } catch (RuntimeException e) {
      LOG.error("rollout step failed", e);
    }
  }

  public void tick(Instant now) {
    for (ApiRecord a : registry.apis()) {
      if (!a.rolloutInProgress()) {
        continue;
      }
      RolloutState state = a.rollout();
      List<ReplicaInfo> target =
          runtime.replicas(a.name()).stream().filter(r -> r.revision().equals(state.to())).toList();
      RolloutStateMachine.Observation o =
          new RolloutStateMachine.Observation(
              now,
              (int) target.stream().filter(ReplicaInfo::ready).count(),
              a.desiredReplicas(),
              target.stream().anyMatch(r -> r.restarts() >= localConfig.crashLoopRestarts()),
              outcomes.since(a.name(), state.to(), state.since()),
              outcomes.since(a.name(), state.from(), state.since()));
      RolloutStateMachine.Decision d =
          RolloutStateMachine.next(state, a.api().spec().rollout(), a.traffic(), o);
      if (!d.changed(state, a.traffic())) {
        continue;
      }
      // Apply only if nobody changed the rollout since we looked.
      registry.update(
          a.name(),
          current -> {
            if (!state.equals(current.rollout())) {
              return current;
            }
            if (d.abortReason().isPresent()) {
              LOG.warnf("%s: %s", a.name(), d.abortReason().get());
              return registry.planner().abortRollout(current, d.abortReason().get(), now);
            }
            LOG.infof("%s: %s", a.name(), d.state().message());
            return current.withRollout(d.state(), d.traffic(), now);
          });
    }
  }
}
