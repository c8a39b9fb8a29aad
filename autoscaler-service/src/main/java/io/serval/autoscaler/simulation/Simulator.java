package io.serval.autoscaler.simulation;

import io.serval.autoscaler.aggregation.InFlightAggregator;
import io.serval.autoscaler.aggregation.InFlightAverage;
import io.serval.autoscaler.scaling.AutoscalingSpec;
import io.serval.autoscaler.scaling.ScalingDecision;
import io.serval.autoscaler.scaling.ScalingInput;
import io.serval.autoscaler.scaling.ScalingPolicy;
import io.serval.autoscaler.scaling.ScalingState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replays a load trace through the real aggregator and policy on a simulated clock: one router
 * reports the replica model's in-flight count every second, and the policy runs every tick.
 */
public final class Simulator {

  private static final String API = "simulated";
  private static final int STEPS_PER_SECOND = 20;

  private Simulator() {}

  public static SimulationRun run(Scenario scenario) {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    SimulatedClock clock = new SimulatedClock(start);
    InFlightAggregator aggregator =
        new InFlightAggregator(clock, Duration.ofSeconds(5), Duration.ofMinutes(30));
    ScalingPolicy policy = new ScalingPolicy(clock);
    ScalingState state = new ScalingState();
    AutoscalingSpec spec = scenario.spec();
    ReplicaModel model = new ReplicaModel(scenario.replicas(), scenario.initialReplicas());
    int desired = scenario.initialReplicas();
    long tickSeconds = scenario.tick().toSeconds();
    double dt = 1.0 / STEPS_PER_SECOND;

    List<Sample> samples = new ArrayList<>(scenario.trace().seconds());
    for (int second = 0; second < scenario.trace().seconds(); second++) {
      double load = scenario.trace().at(second);
      double inFlightSum = 0;
      for (int step = 0; step < STEPS_PER_SECOND; step++) {
        model.advance(second + step * dt, dt, load);
        inFlightSum += model.inSystem();
      }
      double inFlight = inFlightSum / STEPS_PER_SECOND;
      clock.set(start.plusSeconds(second + 1));
      aggregator.record("sim-router", clock.instant(), Map.of(API, inFlight));

      boolean panic = state.inPanic();
      if ((second + 1) % tickSeconds == 0) {
        Optional<InFlightAverage> panicAverage =
            spec.panic().flatMap(p -> aggregator.average(API, p.window()));
        ScalingInput input =
            new ScalingInput(
                spec,
                desired,
                model.ready(),
                aggregator.average(API, spec.window()),
                panicAverage,
                aggregator.lastActive(API));
        ScalingDecision decision = policy.decide(input, state);
        panic = decision.panic();
        if (decision.desiredReplicas() != desired) {
          desired = decision.desiredReplicas();
          model.setDesired(desired, second + 1);
        }
      }
      samples.add(
          new Sample(
              second + 1,
              load,
              inFlight,
              model.queued(),
              model.ready(),
              desired,
              model.capacity(),
              panic,
              model.rejected()));
    }
    return new SimulationRun(scenario, samples);
  }
}
