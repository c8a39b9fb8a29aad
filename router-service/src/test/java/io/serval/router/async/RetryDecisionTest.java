package io.serval.router.async;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryDecisionTest {
  private static final Duration BASE = Duration.ofMillis(500);
  private static final Duration MAX = Duration.ofSeconds(3);

  @Test
  void clientErrorsFailAtOnceWithTheReason() {
    for (Status s :
        new Status[] {
          Status.INVALID_ARGUMENT.withDescription("shape [3] needs 3 elements"),
          Status.NOT_FOUND.withDescription("API 'x' was removed"),
          Status.FAILED_PRECONDITION
        }) {
      RetryDecision d = RetryDecision.after(s, 1, 5, BASE, MAX);
      assertThat(d.retry()).as(s.toString()).isFalse();
      assertThat(d.reason()).startsWith(s.getCode().name());
    }
    assertThat(
            RetryDecision.after(Status.INVALID_ARGUMENT.withDescription("bad"), 1, 5, BASE, MAX)
                .reason())
        .isEqualTo("INVALID_ARGUMENT: bad");
  }

  @Test
  void transientFailuresAreRetriedWithADoublingBackoff() {
    for (Status s :
        new Status[] {
          Status.UNAVAILABLE,
          Status.DEADLINE_EXCEEDED,
          Status.RESOURCE_EXHAUSTED,
          Status.INTERNAL,
          Status.CANCELLED
        }) {
      assertThat(RetryDecision.after(s, 1, 5, BASE, MAX).retry()).as(s.toString()).isTrue();
    }
    assertThat(RetryDecision.after(Status.UNAVAILABLE, 1, 5, BASE, MAX).delay()).isEqualTo(BASE);
    assertThat(RetryDecision.after(Status.UNAVAILABLE, 2, 5, BASE, MAX).delay())
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(RetryDecision.after(Status.UNAVAILABLE, 3, 9, BASE, MAX).delay())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(RetryDecision.after(Status.UNAVAILABLE, 4, 9, BASE, MAX).delay()).isEqualTo(MAX);
    assertThat(RetryDecision.after(Status.UNAVAILABLE, 40, 90, BASE, MAX).delay()).isEqualTo(MAX);
  }

  @Test
  void aTransientFailureOnTheLastTryGivesUp() {
    RetryDecision d =
        RetryDecision.after(Status.UNAVAILABLE.withDescription("no replica"), 5, 5, BASE, MAX);
    assertThat(d.retry()).isFalse();
    assertThat(d.reason()).isEqualTo("gave up after 5 tries: UNAVAILABLE: no replica");
  }
}
