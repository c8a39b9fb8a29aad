package io.serval.bench.burst;

/**
 * One replica of the API at one poll.
 *
 * @param id the operator's replica id
 * @param launchedAtMillis the process start (epoch milliseconds) the operator recorded
 * @param healthy {@code /v2/health/ready} answered 200 at this poll
 * @param served requests the replica has answered ({@code serval_predictor_requests_total})
 */
public record ReplicaState(String id, long launchedAtMillis, boolean healthy, double served) {}
