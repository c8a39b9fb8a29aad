package io.serval.autoscaler.control;

import io.quarkus.scheduler.Scheduled;
import io.serval.autoscaler.aggregation.InFlightAggregator;
import io.serval.autoscaler.aggregation.InFlightAverage;
import io.serval.autoscaler.config.AutoscalerConfig;
import io.serval.autoscaler.operator.DecisionOutbox;
import io.serval.autoscaler.operator.OperatorClient;
import io.serval.autoscaler.operator.OperatorUnavailableException;
import io.serval.autoscaler.operator.SpecMapper;
import io.serval.autoscaler.scaling.AutoscalingSpec;
import io.serval.autoscaler.scaling.InvalidSpecException;
import io.serval.autoscaler.scaling.ScalingDecision;
import io.serval.autoscaler.scaling.ScalingInput;
import io.serval.autoscaler.scaling.ScalingPolicy;
import io.serval.autoscaler.telemetry.AutoscalerMetrics;
import io.serval.proto.control.AutoscaledApi;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Every tick: asks the operator which APIs are autoscaled (with their specs and replicas), runs the
 * policy for each on the aggregated samples, queues the decisions that change something and
 * delivers them.
 *
 * <p>With {@code serval.autoscaler.panic-on-report}, a router's report that puts an API not yet in
 * panic over its panic threshold runs the same tick at once, on a thread of its own, instead of
 * waiting for the next one: the burst's decision then waits for the report only. The check uses the
 * specs and ready replicas of the last tick; the early tick lists the operator afresh, so it
 * decides on current replicas like any other.
 */
@ApplicationScoped
public class AutoscalerLoop {

  private static final Logger LOG = Logger.getLogger(AutoscalerLoop.class);

  private final OperatorClient operator;
  private final InFlightAggregator aggregator;
  private final ScalingPolicy policy;
  private final ApiDecisions decisions;
  private final DecisionOutbox outbox;
  private final DecisionDelivery delivery;
  private final AutoscalerMetrics metrics;
  private final Clock clock;
  private final boolean panicOnReport;

  /** What the last tick listed: the specs and ready replicas the early-panic check reads. */
  private volatile List<AutoscaledApi> listed = List.of();

  /** Runs early ticks; at most one is queued at a time. */
  private final ExecutorService early =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().daemon().name("panic-on-report").factory());

  private final AtomicBoolean earlyQueued = new AtomicBoolean();

  public AutoscalerLoop(
      OperatorClient operator,
      InFlightAggregator aggregator,
      ScalingPolicy policy,
      ApiDecisions decisions,
      DecisionOutbox outbox,
      DecisionDelivery delivery,
      AutoscalerMetrics metrics,
      Clock clock,
      AutoscalerConfig config) {
    this.operator = operator;
    this.aggregator = aggregator;
    this.policy = policy;
    this.decisions = decisions;
    this.outbox = outbox;
    this.delivery = delivery;
    this.metrics = metrics;
    this.clock = clock;
    this.panicOnReport = config.panicOnReport();
  }

  @Scheduled(
      every = "${serval.autoscaler.tick}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void scheduledTick() {
    tick();
  }

  /**
   * A router's report has been recorded (on the gRPC event loop: this only reads, and hands any
   * work to the early-tick thread). With panic-on-report, runs a tick now when an API of the last
   * listing that is not in panic has its panic threshold reached.
   */
  public void reportRecorded() {
    if (!panicOnReport || earlyQueued.get()) {
      return;
    }
    for (AutoscaledApi api : listed) {
      if (entersPanic(api) && earlyQueued.compareAndSet(false, true)) {
        early.execute(
            () -> {
              try {
                tick();
              } finally {
                earlyQueued.set(false);
              }
            });
        return;
      }
    }
  }

  private boolean entersPanic(AutoscaledApi api) {
    // Read outside the tick's lock: a hint only, the tick decides under it.
    if (decisions.find(api.getName()).map(e -> e.state().inPanic()).orElse(false)) {
      return false;
    }
    AutoscalingSpec spec;
    try {
      spec = SpecMapper.toSpec(api.getSpec());
    } catch (InvalidSpecException e) {
      return false;
    }
    return spec.panic()
        .flatMap(p -> aggregator.average(api.getName(), p.window()))
        .map(avg -> ScalingPolicy.panicCalledFor(spec, api.getReadyReplicas(), avg))
        .orElse(false);
  }

  @PreDestroy
  void stopEarlyTicks() {
    early.shutdownNow();
  }

  /** One tick; scheduled and early ticks take turns. */
  synchronized void tick() {
    List<AutoscaledApi> apis;
    try {
      apis = operator.listAutoscaledApis();
    } catch (RuntimeException e) {
      // Without the operator's current replicas a decision would be a guess; pending ones stay.
      metrics.tick("operator-unavailable");
      LOG.warnf("tick skipped: %s", e.getMessage());
      if (!(e instanceof OperatorUnavailableException)) {
        LOG.debug("ListAutoscaledApis failed", e);
      }
      return;
    }
    listed = List.copyOf(apis);
    Set<String> names = new HashSet<>();
    for (AutoscaledApi api : apis) {
      names.add(api.getName());
      decide(api);
    }
    decisions.retainOnly(names);
    outbox.retainOnly(names);
    for (String gone : Set.copyOf(decisions.names())) {
      if (!names.contains(gone)) {
        aggregator.forget(gone);
      }
    }
    metrics.tick("ok");
    delivery.flush();
  }

  private void decide(AutoscaledApi api) {
    ApiEntry entry = decisions.entry(api.getName());
    AutoscalingSpec spec;
    try {
      spec = SpecMapper.toSpec(api.getSpec());
    } catch (InvalidSpecException e) {
      entry.invalidSpec(e.getMessage(), clock.instant());
      outbox.cancel(api.getName());
      LOG.warnf("%s: %s", api.getName(), e.getMessage());
      return;
    }
    Optional<InFlightAverage> panic =
        spec.panic().flatMap(p -> aggregator.average(api.getName(), p.window()));
    ScalingInput input =
        new ScalingInput(
            spec,
            api.getCurrentReplicas(),
            api.getReadyReplicas(),
            aggregator.average(api.getName(), spec.window()),
            panic,
            aggregator.lastActive(api.getName()),
            aggregator.asyncBacklog(api.getName(), spec.window()));
    ScalingDecision decision = policy.decide(input, entry.state());
    entry.decided(decision);
    if (decision.changesReplicas()) {
      outbox.offer(api.getName(), decision.desiredReplicas(), decision.summary());
      if (entry.delivery().map(d -> d.replicas() != decision.desiredReplicas()).orElse(true)) {
        decisions.delivery(
            api.getName(), Delivery.State.PENDING, decision.desiredReplicas(), null, null);
      }
    } else {
      outbox.cancel(api.getName());
      if (entry
          .delivery()
          .map(
              d ->
                  d.state() != Delivery.State.DELIVERED
                      || d.replicas() != decision.desiredReplicas())
          .orElse(true)) {
        decisions.delivery(
            api.getName(), Delivery.State.UNCHANGED, decision.desiredReplicas(), null, null);
      }
    }
  }
}
