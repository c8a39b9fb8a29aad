package io.serval.client.retry;

import io.serval.client.v2.ServalException;
import io.serval.client.v2.ServalTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs one call as a sequence of attempts: until one is answered, one fails in a way that must not
 * be retried, the retries are spent, or the next attempt could not start before the deadline. No
 * I/O of its own: the attempt, the clock and the waiting come in.
 */
public final class Retrier {

  /** The value of the answered attempt and how many attempts the call took. */
  public record Attempted<T>(T value, int attempts) {}

  private final RetryPolicy policy;
  private final Ticker ticker;
  private final Sleeper sleeper;

  public Retrier(RetryPolicy policy, Ticker ticker, Sleeper sleeper) {
    this.policy = policy;
    this.ticker = ticker;
    this.sleeper = sleeper;
  }

  /**
   * @param attempt makes one attempt that may take the given time; it sends that time to the router
   *     as the request's deadline
   * @param retry false for probes (ready): one attempt only
   * @throws ServalException the last failure, with the number of attempts made
   */
  public <T> Attempted<T> call(Function<Duration, Outcome<T>> attempt, boolean retry) {
    long start = ticker.nanos();
    Duration deadline = policy.settings().deadline();
    int attempts = 0;
    while (true) {
      Duration left = deadline.minusNanos(ticker.nanos() - start);
      if (!left.isPositive()) {
        throw new ServalTimeoutException(
            "the deadline of " + deadline.toMillis() + "ms passed before attempt " + (attempts + 1),
            attempts,
            null);
      }
      attempts++;
      Outcome<T> outcome = attempt.apply(policy.attemptBudget(left));
      Failure failure =
          switch (outcome) {
            case Outcome.Answered<T> a -> {
              yield null;
            }
            case Outcome.Refused<T> r -> r.failure();
            case Outcome.NotSent<T> n -> n.failure();
            case Outcome.Final<T> f -> f.failure();
          };
      if (failure == null) {
        return new Attempted<>(((Outcome.Answered<T>) outcome).value(), attempts);
      }
      Optional<Duration> delay =
          retry
              ? policy.nextDelay(outcome, attempts, deadline.minusNanos(ticker.nanos() - start))
              : Optional.empty();
      if (delay.isEmpty()) {
        throw failure.toException(attempts);
      }
      try {
        sleeper.sleep(delay.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ServalException interrupted = failure.toException(attempts);
        interrupted.addSuppressed(e);
        throw interrupted;
      }
    }
  }
}
