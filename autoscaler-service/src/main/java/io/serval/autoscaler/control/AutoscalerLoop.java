package io.serval.autoscaler.control;

import io.quarkus.scheduler.Scheduled;
import io.serval.autoscaler.aggregation.InFlightAggregator;
import io.serval.autoscaler.aggregation.InFlightAverage;
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
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Every tick: asks the operator which APIs are autoscaled (with their specs and replicas), runs the
 * policy for each on the aggregated samples, queues the decisions that change something and
 * delivers them.
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

  public AutoscalerLoop(
      OperatorClient operator,
      InFlightAggregator aggregator,
      ScalingPolicy policy,
      ApiDecisions decisions,
      DecisionOutbox outbox,
      DecisionDelivery delivery,
      AutoscalerMetrics metrics,
      Clock clock) {
    this.operator = operator;
    this.aggregator = aggregator;
    this.policy = policy;
    this.decisions = decisions;
    this.outbox = outbox;
    this.delivery = delivery;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Scheduled(
      every = "${serval.autoscaler.tick}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void tick() {
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
            aggregator.lastActive(api.getName()));
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
