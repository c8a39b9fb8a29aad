package io.serval.router.dispatch;

import io.grpc.Status;
import java.time.Duration;

/**
 * The reading of one failed attempt, with no I/O: what it says about the replica ({@link
 * #ejection()}), whether the request may go again ({@link #retryDelayNanos}, by {@link
 * RetryPolicy}: only a request that never reached a replica), and what the client hears when it
 * does not ({@link #answer}).
 */
final class AttemptFailure {

  /** What the failure says about the replica. */
  enum Ejection {
    /** Nothing: the replica answered, or the attempt ended for reasons of its own. */
    NONE,
    /** The connection was refused: one more refusal on the replica's record. */
    COUNT_REFUSAL,
    /** A connection that failed under a call: a dead or draining replica, out at once. */
    EJECT
  }

  private final Status status;
  private final RetryPolicy.Delivery delivery;
  private final boolean connectionRefused;

  private AttemptFailure(Status status, RetryPolicy.Delivery delivery, boolean connectionRefused) {
    this.status = status;
    this.delivery = delivery;
    this.connectionRefused = connectionRefused;
  }

  /**
   * @param status how the attempt ended (not OK)
   * @param replicaReplied whether the replica sent headers or trailers
   * @param headersSent whether the request's HEADERS reached the connection
   */
  static AttemptFailure of(Status status, boolean replicaReplied, boolean headersSent) {
    return new AttemptFailure(
        status,
        RetryPolicy.classify(status, replicaReplied, headersSent),
        RetryPolicy.connectionRefused(status));
  }

  RetryPolicy.Delivery delivery() {
    return delivery;
  }

  Ejection ejection() {
    if (connectionRefused) {
      return Ejection.COUNT_REFUSAL;
    }
    return delivery != RetryPolicy.Delivery.FINAL ? Ejection.EJECT : Ejection.NONE;
  }

  /**
   * @param attemptsMade attempts made so far, this one included
   * @return the backoff before another attempt, or -1 when the request must not go again
   */
  long retryDelayNanos(RetryPolicy retry, int attemptsMade, long nowNanos, long deadlineNanos) {
    return retry.nextDelayNanos(delivery, attemptsMade, nowNanos, deadlineNanos);
  }

  /** The status the client gets when the request goes no further. */
  Status answer(String api, Duration apiTimeout, String replica, int attemptsMade) {
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return Admission.deadlineExceeded(api, apiTimeout).withCause(status.getCause());
    }
    if (delivery == RetryPolicy.Delivery.LOST_IN_FLIGHT) {
      // INTERNAL (HTTP 500), not UNAVAILABLE: clients and gRPC retry policies replay
      // UNAVAILABLE, and a request that crashed one replica would crash the next one too.
      return Status.INTERNAL
          .withDescription(replicaDied(api, replica))
          .withCause(status.getCause());
    }
    if (delivery == RetryPolicy.Delivery.NEVER_DELIVERED) {
      return Status.UNAVAILABLE
          .withDescription(
              "no replica of API '"
                  + api
                  + "' accepted the request ("
                  + attemptsMade
                  + " tried; last: "
                  + replica
                  + (connectionRefused
                      ? " refused the connection)"
                      : " did not receive it: " + status.getDescription() + ")"))
          .withCause(status.getCause());
    }
    return status;
  }

  /**
   * The answer to a request whose replica's connection died after the request was sent and before
   * any answer: the replica may have run it, and died of it.
   */
  static String replicaDied(String api, String replica) {
    return "the replica serving this request ("
        + replica
        + " of API '"
        + api
        + "') died or dropped its connection while running it; the request was not retried on"
        + " another replica, since a request that crashes a replica would crash the next one too";
  }
}
