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
 * @param lastActiveAt the last moment a router reported a request in flight for this API
 */
public record ScalingInput(
    AutoscalingSpec spec,
    int currentReplicas,
    int readyReplicas,
    Optional<InFlightAverage> window,
    Optional<InFlightAverage> panic,
    Optional<Instant> lastActiveAt) {}
