package io.serval.router.async;

import io.grpc.Status;
import io.serval.v2.V2Exception;
import java.time.Duration;

/**
 * What the pump does after a try of an async request failed: a client error (a 4xx: the request
 * itself is wrong, or its API is gone) fails it at once; a transient one (503 or UNAVAILABLE, a
 * full queue, a timeout, a replica's 500, a cancelled call: no client cancels async work, a replica
 * going away does) is tried again after a backoff that doubles, until the request has had its tries
 * (the store's claims count as tries too, so a request that kills its router every time stops as
 * well). Pure.
 *
 * @param retry whether to try again
 * @param delay how long to wait first, when retrying
 * @param reason the failure the request ends with, when not retrying
 */
public record RetryDecision(boolean retry, Duration delay, String reason) {

  /**
   * @param status how the try failed
   * @param tries tries so far, this one included
   * @param maxTries tries allowed in all
   * @param backoff wait before the first retry
   * @param maxBackoff longest wait
   */
  public static RetryDecision after(
      Status status, int tries, int maxTries, Duration backoff, Duration maxBackoff) {
    String what = describe(status);
    int http = V2Exception.kindOf(status.getCode()).httpStatus();
    if (http >= 400
        && http < 500
        && status.getCode() != Status.Code.RESOURCE_EXHAUSTED
        && status.getCode() != Status.Code.CANCELLED) {
      return new RetryDecision(false, Duration.ZERO, what);
    }
    if (tries >= maxTries) {
      return new RetryDecision(false, Duration.ZERO, "gave up after " + tries + " tries: " + what);
    }
    return new RetryDecision(true, backoff(tries, backoff, maxBackoff), what);
  }

  /** {@code backoff} doubled for each try after the first, at most {@code max}. */
  static Duration backoff(int tries, Duration backoff, Duration max) {
    int doublings = Math.max(0, Math.min(30, tries - 1));
    long nanos = backoff.toNanos();
    for (int i = 0; i < doublings && nanos < max.toNanos(); i++) {
      nanos *= 2;
    }
    return Duration.ofNanos(Math.min(nanos, max.toNanos()));
  }

  private static String describe(Status status) {
    String d = status.getDescription();
    return status.getCode() + (d == null || d.isEmpty() ? "" : ": " + d);
  }
}
