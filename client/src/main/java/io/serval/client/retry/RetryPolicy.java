package io.serval.client.retry;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Whether and when a failed attempt goes again (pure: time and randomness come in). The wait before
 * retry n (n = 1, 2, ...) is {@code Retry-After + U(0, min(maxBackoff, backoff * 2^(n-1)))}: never
 * sooner than the server asked, plus full jitter on an exponentially growing ceiling, so that
 * callers refused together do not come back together.
 */
public final class RetryPolicy {

  private final RetrySettings settings;
  private final DoubleSupplier random;

  /**
   * @param random uniform in [0, 1)
   */
  public RetryPolicy(RetrySettings settings, DoubleSupplier random) {
    this.settings = settings;
    this.random = random;
  }

  public RetrySettings settings() {
    return settings;
  }

  /** The time the next attempt may take: the attempt timeout, or what is left of the deadline. */
  public Duration attemptBudget(Duration leftOfDeadline) {
    return settings.attemptTimeout().compareTo(leftOfDeadline) <= 0
        ? settings.attemptTimeout()
        : leftOfDeadline;
  }

  /** The jitter ceiling before retry {@code n} (1-based): backoff doubled n-1 times, capped. */
  public Duration ceiling(int n) {
    Duration c = settings.backoff();
    for (int i = 1; i < n && c.compareTo(settings.maxBackoff()) < 0; i++) {
      c = c.multipliedBy(2);
    }
    return c.compareTo(settings.maxBackoff()) < 0 ? c : settings.maxBackoff();
  }

  /**
   * The wait before the next attempt, or empty when the call ends with this failure.
   *
   * @param outcome how attempt {@code attemptsMade} ended (not answered)
   * @param attemptsMade attempts made so far, this one included
   * @param leftOfDeadline what is left of the call's deadline now
   */
  public Optional<Duration> nextDelay(
      Outcome<?> outcome, int attemptsMade, Duration leftOfDeadline) {
    Duration retryAfter =
        switch (outcome) {
          case Outcome.Refused<?> r -> r.retryAfter();
          case Outcome.NotSent<?> n -> Duration.ZERO;
          case Outcome.Final<?> f -> null;
          case Outcome.Answered<?> a -> null;
        };
    if (retryAfter == null || attemptsMade > settings.retries()) {
      return Optional.empty();
    }
    long ceilingNanos = ceiling(attemptsMade).toNanos();
    Duration delay = retryAfter.plusNanos((long) (random.getAsDouble() * ceilingNanos));
    // A wait that reaches the deadline leaves no time for an attempt: end with this answer now.
    if (delay.compareTo(leftOfDeadline) >= 0) {
      return Optional.empty();
    }
    return Optional.of(delay);
  }
}
