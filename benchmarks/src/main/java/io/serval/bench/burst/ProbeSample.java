package io.serval.bench.burst;

import java.util.List;
import java.util.Optional;

/**
 * What one poll of the platform saw.
 *
 * @param atMillis when the poll ended (epoch milliseconds)
 * @param decision the autoscaler's last decision, if it had one and answered
 * @param replicas the API's replicas from the operator's state directory, with what this poll asked
 *     them (replicas that were not asked carry the last answer they gave)
 * @param requested the operator's requested replicas, -1 when the operator did not answer
 * @param ready the operator's ready replicas (routed), -1 when the operator did not answer
 */
public record ProbeSample(
    long atMillis,
    Optional<Decision> decision,
    List<ReplicaState> replicas,
    int requested,
    int ready) {}
