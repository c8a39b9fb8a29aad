package io.serval.bench.burst;

/**
 * The autoscaler's last decision for the API, as {@code GET /v1/autoscaler/apis/{name}} shows it.
 *
 * @param decidedAtMillis when the tick decided (epoch milliseconds, the autoscaler's clock)
 * @param panic whether the API was in panic mode at that decision
 * @param desired the replicas decided
 * @param current the operator's replicas the decision started from
 * @param panicAverage the in-flight average over the panic window the decision saw, NaN if none
 * @param deliveryState PENDING, DELIVERED, RETRYING, REJECTED or UNCHANGED ("" when unknown)
 * @param deliveredReplicas the replicas of the delivery shown
 * @param deliveryAtMillis when that delivery state was reached, -1 when unknown
 */
public record Decision(
    long decidedAtMillis,
    boolean panic,
    int desired,
    int current,
    double panicAverage,
    String deliveryState,
    int deliveredReplicas,
    long deliveryAtMillis) {}
