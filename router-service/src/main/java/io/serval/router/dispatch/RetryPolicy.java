package io.serval.router.dispatch;

import io.grpc.Status;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/**
 * When a failed forward may be tried again on another replica. Only requests that a replica never
 * accepted qualify: the connection was refused or could not be made, or it failed before the
 * replica sent anything back. Once a replica answered in any way, a retry could run the model twice
 * for a client that can observe both, so the failure goes to the client (Ray Serve retries only its
 * assignment step for the same reason).
 */
public final class RetryPolicy {
  private final int maxAttempts;
  private final long initialBackoffNanos;
  private final long maxBackoffNanos;

  /**
   * @param maxAttempts attempts in all, the first included (1 = no retry)
   */
  public RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must satisfy 0 <= initial (" + initialBackoff + ") <= max (" + maxBackoff + ")");
    }
    this.maxAttempts = maxAttempts;
    this.initialBackoffNanos = initialBackoff.toNanos();
    this.maxBackoffNanos = maxBackoff.toNanos();
  }

  /**
   * True when the replica never accepted the request: the router's transport failed (UNAVAILABLE:
   * refused, reset, closed, GOAWAY) before the replica sent headers or trailers.
   *
   * @param replicaReplied whether the replica sent headers or trailers on this attempt; every
   *     status a replica sends itself (its "queue full" or "draining" UNAVAILABLE included) arrives
   *     in them
   */
  public static boolean neverAccepted(Status status, boolean replicaReplied) {
    // Safe: the predictor sends headers only with its answer, so with none and the connection
    // gone, no answer or side effect of this attempt can ever reach a client.
    return status.getCode() == Status.Code.UNAVAILABLE && !replicaReplied;
  }

  /** True when the connection to the replica could not be made at all (refused, unresolved). */
  public static boolean connectionRefused(Status status) {
    if (status.getCode() != Status.Code.UNAVAILABLE) {
      return false;
    }
    for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnresolvedAddressException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /**
   * @param replicaReplied whether the replica sent headers or trailers on the failed attempt
   * @param attemptsMade attempts already made (>= 1)
   * @return the backoff before the next attempt in nanoseconds, or -1 when there is none: the
   *     failure is not retryable, the attempts are used up, or the backoff would end past the
   *     deadline
   */
  public long nextDelayNanos(
      Status status, boolean replicaReplied, int attemptsMade, long nowNanos, long deadlineNanos) {
    if (!neverAccepted(status, replicaReplied) || attemptsMade >= maxAttempts) {
      return -1;
    }
    long delay = initialBackoffNanos;
    for (int i = 1; i < attemptsMade && delay < maxBackoffNanos; i++) {
      delay *= 2;
    }
    delay = Math.min(delay, maxBackoffNanos);
    return deadlineNanos - (nowNanos + delay) > 0 ? delay : -1;
  }
}
