package io.serval.client.retry;

import java.time.Duration;

/**
 * How one attempt ended, read by its transport. Only {@link Refused} and {@link NotSent} may be
 * retried: in both the router provably never started the request.
 */
public sealed interface Outcome<T> {

  /** Answered with success. */
  record Answered<T>(T value) implements Outcome<T> {}

  /**
   * The router (or a proxy in front of it) refused the request before starting it: HTTP 503 or 429,
   * gRPC UNAVAILABLE or RESOURCE_EXHAUSTED sent by the server.
   *
   * @param retryAfter the least wait the server asked for (zero when it did not say)
   */
  record Refused<T>(Duration retryAfter, Failure failure) implements Outcome<T> {}

  /** The connection could not be opened: nothing was written. */
  record NotSent<T>(Failure failure) implements Outcome<T> {}

  /**
   * Must not be retried: any other answer, or a failure once the request may have been written (a
   * read timeout, a reset): the router may have started it on a replica, and sending it again could
   * run it twice.
   */
  record Final<T>(Failure failure) implements Outcome<T> {}
}
