package io.serval.autoscaler.control;

import java.time.Instant;

/**
 * Where the API's latest decision stands with the operator.
 *
 * @param replicas the replicas that decision asked for
 * @param appliedReplicas what the operator applied after clamping; null until delivered
 * @param failedAttempts deliveries of this decision that failed after their retries
 */
public record Delivery(
    Delivery.State state,
    int replicas,
    Integer appliedReplicas,
    int failedAttempts,
    String lastError,
    Instant at) {

  public enum State {
    /** Waiting for its first delivery. */
    PENDING,
    /** The operator has it. */
    DELIVERED,
    /** The operator was away; sent again every redelivery interval until it answers. */
    RETRYING,
    /** The operator refused it; not sent again. */
    REJECTED,
    /** The decision equals the operator's current replicas: nothing to send. */
    UNCHANGED
  }
}
