package io.serval.bench.burst;

/**
 * One request of the step load as it ended.
 *
 * @param endMillis wall-clock end (epoch milliseconds), the clock the services' timestamps use
 * @param latencyMicros from send to the whole answer (monotonic clock)
 * @param ok answered 200
 */
public record RequestRecord(long endMillis, long latencyMicros, boolean ok) {}
