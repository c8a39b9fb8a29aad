package io.serval.autoscaler.simulation;

import io.serval.autoscaler.scaling.AutoscalingSpec;
import java.time.Duration;

/**
 * One simulated run: a trace replayed through the policy with a given spec and replica model.
 *
 * @param label the policy's name in tables and plots (e.g. "serval", "cortex")
 */
public record Scenario(
    String label,
    LoadTrace trace,
    AutoscalingSpec spec,
    ReplicaModel.Params replicas,
    Duration tick,
    int initialReplicas) {

  public Scenario {
    if (tick.toMillis() < 1000 || tick.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("tick must be whole seconds >= 1s, got " + tick);
    }
  }
}
