package io.serval.operator.runtime.local.lifecycle;

import java.time.Duration;
import java.util.function.IntFunction;

/**
 * The timings of the replica lifecycle.
 *
 * @param backoff the wait before restart number n (1 for the first death)
 * @param stableAfter how long a replica must stay ready before its deaths are forgotten
 * @param drainDelay how long a retired replica stays out of the routes before it is signalled, so
 *     that routers stop sending it requests first
 * @param stopGrace how long a signalled replica may take to exit before it is killed
 */
public record LifecyclePolicy(
    IntFunction<Duration> backoff, Duration stableAfter, Duration drainDelay, Duration stopGrace) {}
