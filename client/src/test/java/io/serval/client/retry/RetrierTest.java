package io.serval.client.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.serval.client.v2.ServalException;
import io.serval.client.v2.ServalTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RetrierTest {

  final FakeTime time = new FakeTime();
  final List<Duration> budgets = new ArrayList<>();

  Retrier retrier(Duration timeout, Duration deadline, int retries) {
    return new Retrier(
        new RetryPolicy(
            new RetrySettings(
                timeout, deadline, retries, Duration.ofMillis(100), Duration.ofSeconds(5)),
            () -> 0.5),
        time,
        time);
  }

  @SafeVarargs
  final Function<Duration, Outcome<String>> script(Outcome<String>... outcomes) {
    Deque<Outcome<String>> left = new ArrayDeque<>(List.of(outcomes));
    return budget -> {
      budgets.add(budget);
      return left.size() == 1 ? left.peekFirst() : left.removeFirst();
    };
  }

  static Outcome<String> refused(long retryAfterSeconds) {
    return new Outcome.Refused<>(
        Duration.ofSeconds(retryAfterSeconds), Failure.answered(503, null, "queue full"));
  }

  @Test
  void aRefusalThenAnAnswerIsOneRetryAfterRetryAfterAndJitter() {
    Retrier.Attempted<String> done =
        retrier(Duration.ofSeconds(10), Duration.ofSeconds(60), 5)
            .call(script(refused(1), new Outcome.Answered<>("ok")), true);
    assertThat(done).isEqualTo(new Retrier.Attempted<>("ok", 2));
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(1050));
  }

  @Test
  void eachAttemptGetsTheTimeoutOrWhatIsLeftOfTheDeadline() {
    Retrier r = retrier(Duration.ofSeconds(10), Duration.ofSeconds(12), 5);
    r.call(script(refused(1), refused(0), new Outcome.Answered<>("ok")), true);
    // 12 s; then 12 - 1.05 = 10.95 s left, capped at 10; then 10.95 - 0.1 = 10.85, capped.
    assertThat(budgets)
        .containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10));
    budgets.clear();
    Retrier tight = retrier(Duration.ofSeconds(10), Duration.ofSeconds(3), 5);
    tight.call(script(refused(1), new Outcome.Answered<>("ok")), true);
    assertThat(budgets).containsExactly(Duration.ofSeconds(3), Duration.ofMillis(1950));
  }

  @Test
  void aFinalFailureEndsTheCallAtOnceWithItsAttemptCount() {
    ServalException e =
        catchThrowableOfType(
            ServalException.class,
            () ->
                retrier(Duration.ofSeconds(10), Duration.ofSeconds(60), 5)
                    .call(
                        script(
                            refused(0),
                            new Outcome.Final<>(Failure.answered(500, null, "replica died"))),
                        true));
    assertThat(e.status()).isEqualTo(500);
    assertThat(e.message()).isEqualTo("replica died");
    assertThat(e.attempts()).isEqualTo(2);
    assertThat(time.sleeps()).hasSize(1);
  }

  @Test
  void theRetriesAreBoundedAndTheLastAnswerIsTheCallers() {
    ServalException e =
        catchThrowableOfType(
            ServalException.class,
            () ->
                retrier(Duration.ofSeconds(10), Duration.ofSeconds(600), 3)
                    .call(script(refused(0)), true));
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.attempts()).isEqualTo(4);
    assertThat(budgets).hasSize(4);
  }

  @Test
  void aRetryWhoseWaitWouldReachTheDeadlineIsNotMade() {
    ServalException e =
        catchThrowableOfType(
            ServalException.class,
            () ->
                retrier(Duration.ofSeconds(10), Duration.ofMillis(2500), 30)
                    .call(script(refused(1)), true));
    // Waits of 1.05 s and 1.1 s fit in 2.5 s; the third (1.2 s) would reach it.
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.attempts()).isEqualTo(3);
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(1050), Duration.ofMillis(1100));
  }

  @Test
  void anAttemptThatSpentTheDeadlineEndsTheCallWithItsOwnFailure() {
    Retrier r = retrier(Duration.ofSeconds(10), Duration.ofSeconds(5), 30);
    ServalException e =
        catchThrowableOfType(
            ServalException.class,
            () ->
                r.call(
                    budget -> {
                      budgets.add(budget);
                      time.advance(budget.minusMillis(1));
                      return new Outcome.NotSent<>(Failure.connection("refused", null));
                    },
                    true));
    assertThat(e).isNotInstanceOf(ServalTimeoutException.class);
    assertThat(e.message()).isEqualTo("refused");
    assertThat(e.attempts()).isEqualTo(1);
  }

  @Test
  void aWaitThatOversleptTheDeadlineEndsTheCallBeforeTheNextAttempt() {
    Retrier r = retrier(Duration.ofSeconds(10), Duration.ofSeconds(5), 30);
    time.onSleep(() -> time.advance(Duration.ofSeconds(1))); // a late wake-up
    ServalTimeoutException e =
        catchThrowableOfType(
            ServalTimeoutException.class,
            () ->
                r.call(
                    budget -> {
                      budgets.add(budget);
                      time.advance(Duration.ofMillis(4900));
                      return new Outcome.NotSent<>(Failure.connection("refused", null));
                    },
                    true));
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(e.getMessage()).contains("deadline of 5000ms passed before attempt 2");
    assertThat(budgets).hasSize(1);
  }

  @Test
  void aProbeIsOneAttempt() {
    ServalException e =
        catchThrowableOfType(
            ServalException.class,
            () ->
                retrier(Duration.ofSeconds(10), Duration.ofSeconds(60), 5)
                    .call(script(refused(0)), false));
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(time.sleeps()).isEmpty();
  }
}
