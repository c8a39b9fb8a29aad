package io.serval.bench.start;

/**
 * One launch of one variant.
 *
 * @param variant the variant's name
 * @param log the phases read from the predictor's log
 * @param ready launch to the first 200 of /v2/health/ready, in ms
 * @param cpu CPU time of the predictor process from launch to ready (user + system), in ms
 * @param firstRequest the first inference request after ready, in ms (round trip)
 * @param steadyRequest the median of the requests after it, in ms
 */
public record LaunchResult(
    String variant,
    StartLog log,
    long ready,
    long cpu,
    double firstRequest,
    double steadyRequest) {}
