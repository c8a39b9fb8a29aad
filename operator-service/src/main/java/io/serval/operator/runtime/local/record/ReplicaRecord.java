package io.serval.operator.runtime.local.record;

import java.time.Instant;

/**
 * What the operator writes about a running replica so that a restarted operator can re-adopt it;
 * the process start instant guards against a recycled pid.
 */
public record ReplicaRecord(
    String id,
    String api,
    String revision,
    long pid,
    Instant processStart,
    int httpPort,
    int grpcPort,
    int restarts) {}
