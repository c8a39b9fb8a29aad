package io.serval.client.retry;

import java.time.Duration;

/**
 * The bounds of one call.
 *
 * @param attemptTimeout the longest one attempt may take, from connecting to the last byte of the
 *     answer
 * @param deadline the longest the whole call may take: every attempt and every wait between them
 * @param retries how many times a retryable failure is retried (at most {@code retries + 1}
 *     attempts)
 * @param backoff the first backoff ceiling; it doubles per retry
 * @param maxBackoff the largest backoff ceiling
 */
public record RetrySettings(
    Duration attemptTimeout,
    Duration deadline,
    int retries,
    Duration backoff,
    Duration maxBackoff) {

  /** The Python client's defaults: 30 s per attempt, 60 s a call, 5 retries, 0.1 s up to 5 s. */
  public static final RetrySettings DEFAULTS =
      new RetrySettings(
          Duration.ofSeconds(30),
          Duration.ofSeconds(60),
          5,
          Duration.ofMillis(100),
          Duration.ofSeconds(5));

  public RetrySettings {
    if (!positive(attemptTimeout) || !positive(deadline) || !positive(backoff)) {
      throw new IllegalArgumentException("attemptTimeout, deadline and backoff must be > 0");
    }
    if (maxBackoff == null || maxBackoff.compareTo(backoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must be at least backoff");
    }
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be >= 0");
    }
  }

  private static boolean positive(Duration d) {
    return d != null && d.isPositive();
  }
}
