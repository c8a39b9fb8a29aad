package io.serval.autoscaler.scaling;

import io.serval.autoscaler.aggregation.InFlightAverage;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything one decision looks at.
 *
 * @param currentReplicas the replicas the operator is asked to run now (Cortex's {@code
 *     deployment.spec.replicas})
 * @param readyReplicas replicas ready to serve (panic compares against these)
 * @param window in-flight average over {@code spec.window}; empty when no router reported
 * @param panic in-flight average over {@code spec.panic.window}; empty when no router reported or
 *     panic mode is off
 * @param lastActiveAt the last moment a router reported a request in flight for this API, or async
 *     requests waiting for it
 * @param asyncBacklog async requests waiting in the store for a router to take them, averaged over
 *     {@code spec.window} (Cortex's async queue length); added to the window's in-flight load
 */
public record ScalingInput(
    AutoscalingSpec spec,
    int currentReplicas,
    int readyReplicas,
    Optional<InFlightAverage> window,
    Optional<InFlightAverage> panic,
    Optional<Instant> lastActiveAt,
    double asyncBacklog) {

  public ScalingInput {
    if (!(asyncBacklog >= 0) || Double.isInfinite(asyncBacklog)) {
      throw new IllegalArgumentException("asyncBacklog must be finite and >= 0: " + asyncBacklog);
    }
  }

  /** An input without async backlog (realtime traffic only). */
  public ScalingInput(
      AutoscalingSpec spec,
      int currentReplicas,
      int readyReplicas,
      Optional<InFlightAverage> window,
      Optional<InFlightAverage> panic,
      Optional<Instant> lastActiveAt) {
    this(spec, currentReplicas, readyReplicas, window, panic, lastActiveAt, 0);
  }
}
