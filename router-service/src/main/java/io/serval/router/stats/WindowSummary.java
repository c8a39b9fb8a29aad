package io.serval.router.stats;

/**
 * One API's traffic over the recent window.
 *
 * @param requests requests answered in the window
 * @param perSecond requests per second over the part of the window the router has been up
 * @param ok answers a REST client sees as 2XX (gRPC OK)
 * @param clientErrors 4XX (gRPC codes that map to one: INVALID_ARGUMENT, NOT_FOUND, CANCELLED...)
 * @param serverErrors 5XX (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL...)
 * @param meanMillis mean latency, NaN when there was no request
 * @param p50Millis median latency (the upper bound of its histogram bin), NaN when none
 * @param p99Millis 99th percentile latency (the upper bound of its bin), NaN when none
 */
public record WindowSummary(
    long requests,
    double perSecond,
    long ok,
    long clientErrors,
    long serverErrors,
    double meanMillis,
    double p50Millis,
    double p99Millis) {}
