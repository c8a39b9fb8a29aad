package io.serval.operator.orchestration;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.serval.operator.canary.RevisionOutcomeLedger;
import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.rollout.RolloutStateMachine;
import io.serval.operator.rollout.RolloutTransitions;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaRuntime;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.RolloutState;
import io.serval.operator.status.ApiStatusBuilder;
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
 * replica enters or leaves the routes ({@link ChangePropagation} calls {@link #endpointsChanged}).
 * Each tick shows the machine what the old and new revisions' replicas answered since the current
 * step began, and stores what {@link RolloutTransitions} makes of its decision. A replica counts as
 * crash-looping by the same rule as the API's Degraded condition ({@link ApiStatusBuilder}).
 */
@ApplicationScoped
public class RolloutDriver {

  private static final Logger LOG = Logger.getLogger(RolloutDriver.class);

  @Inject ResourceRegistry registry;
  @Inject ReplicaRuntime runtime;
  @Inject ApiStatusBuilder status;
  @Inject Clock clock;
  @Inject RevisionOutcomeLedger outcomes;

  private ScheduledExecutorService timer;

  RolloutDriver() {}

  /** Outside CDI: drives the rollouts of a registry over a runtime, by explicit {@link #tick}. */
  public RolloutDriver(
      ResourceRegistry registry,
      ReplicaRuntime runtime,
      ApiStatusBuilder status,
      Clock clock,
      RevisionOutcomeLedger outcomes) {
    this.registry = registry;
    this.runtime = runtime;
    this.status = status;
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

  /** A replica entered or left the routes: look at the rollouts now rather than within a second. */
  public void endpointsChanged() {
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
              target.stream().anyMatch(status::crashLooping),
              outcomes.since(a.name(), state.to(), state.since()),
              outcomes.since(a.name(), state.from(), state.since()));
      RolloutStateMachine.Decision d =
          RolloutStateMachine.next(state, a.api().spec().rollout(), a.traffic(), o);
      if (!d.changed(state, a.traffic())) {
        continue;
      }
      // Applied only if nobody changed the rollout since we looked.
      ApiRecord next =
          registry.update(a.name(), current -> RolloutTransitions.apply(current, state, d, now));
      if (!state.equals(next.rollout())) {
        if (d.abortReason().isPresent()) {
          LOG.warnf("%s: %s", a.name(), d.abortReason().get());
        } else {
          LOG.infof("%s: %s", a.name(), d.state().message());
        }
      }
    }
  }
}
