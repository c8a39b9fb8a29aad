package io.serval.client.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  static final RetrySettings SETTINGS =
      new RetrySettings(
          Duration.ofSeconds(10), Duration.ofSeconds(60), 5, ofMs(100), Duration.ofSeconds(1));

  static final Failure REFUSED = Failure.answered(503, null, "queue full");

  static Duration ofMs(long ms) {
    return Duration.ofMillis(ms);
  }

  @Test
  void theCeilingDoublesPerRetryUpToItsMaximum() {
    RetryPolicy p = new RetryPolicy(SETTINGS, () -> 0.5);
    assertThat(p.ceiling(1)).isEqualTo(ofMs(100));
    assertThat(p.ceiling(2)).isEqualTo(ofMs(200));
    assertThat(p.ceiling(3)).isEqualTo(ofMs(400));
    assertThat(p.ceiling(4)).isEqualTo(ofMs(800));
    assertThat(p.ceiling(5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.ceiling(60)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void retryAfterIsTheLeastWaitAndFullJitterComesOnTop() {
    Outcome<Object> refused = new Outcome.Refused<>(Duration.ofSeconds(1), REFUSED);
    assertThat(new RetryPolicy(SETTINGS, () -> 0.0).nextDelay(refused, 1, Duration.ofSeconds(30)))
        .contains(Duration.ofSeconds(1));
    assertThat(new RetryPolicy(SETTINGS, () -> 0.5).nextDelay(refused, 3, Duration.ofSeconds(30)))
        .contains(ofMs(1200));
    assertThat(new RetryPolicy(SETTINGS, () -> 0.999).nextDelay(refused, 5, Duration.ofSeconds(30)))
        .contains(ofMs(1999));
  }

  @Test
  void aConnectionThatNeverOpenedIsRetriedWithBackoffAlone() {
    Outcome<Object> notSent = new Outcome.NotSent<>(Failure.connection("refused", null));
    assertThat(new RetryPolicy(SETTINGS, () -> 0.5).nextDelay(notSent, 2, Duration.ofSeconds(30)))
        .contains(ofMs(100));
  }

  @Test
  void aFinalFailureIsNeverRetried() {
    RetryPolicy p = new RetryPolicy(SETTINGS, () -> 0.5);
    for (Failure f :
        new Failure[] {
          Failure.answered(500, null, "replica died"),
          Failure.timeout("no answer", null),
          Failure.connection("reset after send", null)
        }) {
      assertThat(p.nextDelay(new Outcome.Final<>(f), 1, Duration.ofSeconds(30))).isEmpty();
    }
  }

  @Test
  void retriesAreBounded() {
    RetryPolicy p = new RetryPolicy(SETTINGS, () -> 0.0);
    Outcome<Object> refused = new Outcome.Refused<>(Duration.ZERO, REFUSED);
    assertThat(p.nextDelay(refused, 5, Duration.ofSeconds(30))).isPresent();
    assertThat(p.nextDelay(refused, 6, Duration.ofSeconds(30))).isEmpty();
  }

  @Test
  void aWaitThatReachesTheDeadlineEndsTheCallNow() {
    RetryPolicy p = new RetryPolicy(SETTINGS, () -> 0.0);
    Outcome<Object> refused = new Outcome.Refused<>(Duration.ofSeconds(1), REFUSED);
    assertThat(p.nextDelay(refused, 1, ofMs(1001))).contains(Duration.ofSeconds(1));
    assertThat(p.nextDelay(refused, 1, Duration.ofSeconds(1))).isEmpty();
  }

  @Test
  void anAttemptTakesTheTimeoutOrWhatIsLeftOfTheDeadline() {
    RetryPolicy p = new RetryPolicy(SETTINGS, () -> 0.0);
    assertThat(p.attemptBudget(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.attemptBudget(ofMs(2500))).isEqualTo(ofMs(2500));
  }

  @Test
  void settingsRefuseNonsense() {
    assertThatThrownBy(
            () -> new RetrySettings(Duration.ZERO, Duration.ofSeconds(1), 1, ofMs(1), ofMs(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new RetrySettings(
                    Duration.ofSeconds(1), Duration.ofSeconds(1), -1, ofMs(1), ofMs(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new RetrySettings(
                    Duration.ofSeconds(1), Duration.ofSeconds(1), 1, ofMs(10), ofMs(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
