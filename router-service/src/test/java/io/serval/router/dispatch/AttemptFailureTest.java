package io.serval.router.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.serval.router.dispatch.AttemptFailure.Ejection;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A failed attempt read without I/O: retried only when it never reached the replica. */
class AttemptFailureTest {
  private static final long MS = 1_000_000L;
  private static final long NOW = 1_000 * MS;
  private static final long DEADLINE = NOW + 1_000 * MS;
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private final RetryPolicy retry = new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(8));

  private static final Status REFUSED =
      Status.UNAVAILABLE.withCause(
          new IOException("wrapped", new ConnectException("Connection refused")));
  private static final Status RESET =
      Status.UNAVAILABLE
          .withDescription("io exception")
          .withCause(new IOException("Connection reset by peer"));

  @Test
  void aRefusedConnectionIsRetriedWithBackoffAndCountsTowardsEjection() {
    AttemptFailure f = AttemptFailure.of(REFUSED, false, false);

    assertThat(f.delivery()).isEqualTo(RetryPolicy.Delivery.NEVER_DELIVERED);
    assertThat(f.ejection()).isEqualTo(Ejection.COUNT_REFUSAL);
    assertThat(f.retryDelayNanos(retry, 1, NOW, DEADLINE)).isEqualTo(5 * MS);
    assertThat(f.retryDelayNanos(retry, 2, NOW, DEADLINE)).isEqualTo(8 * MS);
    assertThat(f.retryDelayNanos(retry, 3, NOW, DEADLINE)).as("attempts used up").isEqualTo(-1);
    assertThat(f.retryDelayNanos(retry, 1, NOW, NOW + 5 * MS))
        .as("a backoff that would end at the deadline")
        .isEqualTo(-1);
    Status answer = f.answer("api", TIMEOUT, "a:1", 3);
    assertThat(answer.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(answer.getDescription())
        .isEqualTo(
            "no replica of API 'api' accepted the request (3 tried; last: a:1 refused the connection)");
  }

  @Test
  void headersThatNeverLeftAreRetriedAndEjectTheReplicaAtOnce() {
    Status closed =
        Status.UNAVAILABLE.withDescription("Connection closed while stream is buffered");
    AttemptFailure f = AttemptFailure.of(closed, false, false);

    assertThat(f.ejection()).isEqualTo(Ejection.EJECT);
    assertThat(f.retryDelayNanos(retry, 1, NOW, DEADLINE)).isEqualTo(5 * MS);
    assertThat(f.answer("api", TIMEOUT, "b:1", 2).getDescription())
        .isEqualTo(
            "no replica of API 'api' accepted the request (2 tried; last: b:1 did not receive it:"
                + " Connection closed while stream is buffered)");
  }

  @Test
  void aRequestLostInFlightIsNeverRetriedAndAnswersInternal() {
    AttemptFailure f = AttemptFailure.of(RESET, false, true);

    assertThat(f.delivery()).isEqualTo(RetryPolicy.Delivery.LOST_IN_FLIGHT);
    assertThat(f.ejection()).isEqualTo(Ejection.EJECT);
    assertThat(f.retryDelayNanos(retry, 1, NOW, DEADLINE)).isEqualTo(-1);
    Status answer = f.answer("api", TIMEOUT, "a:1", 1);
    assertThat(answer.getCode())
        .as("not UNAVAILABLE, which clients replay")
        .isEqualTo(Status.Code.INTERNAL);
    assertThat(answer.getDescription()).isEqualTo(AttemptFailure.replicaDied("api", "a:1"));
    assertThat(answer.getCause()).isSameAs(RESET.getCause());
  }

  @Test
  void aStatusTheReplicaSentIsTheAnswerAsIs() {
    Status busy = Status.UNAVAILABLE.withDescription("the predictor's queue is full");
    AttemptFailure f = AttemptFailure.of(busy, true, true);

    assertThat(f.delivery()).isEqualTo(RetryPolicy.Delivery.FINAL);
    assertThat(f.ejection()).isEqualTo(Ejection.NONE);
    assertThat(f.retryDelayNanos(retry, 1, NOW, DEADLINE)).isEqualTo(-1);
    assertThat(f.answer("api", TIMEOUT, "a:1", 1)).isSameAs(busy);
  }

  @Test
  void aDeadlineIsAnsweredInTheRoutersWordsAndNeverRetried() {
    Status late = Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 2s");
    AttemptFailure f = AttemptFailure.of(late, false, true);

    assertThat(f.ejection()).isEqualTo(Ejection.NONE);
    assertThat(f.retryDelayNanos(retry, 1, NOW, DEADLINE)).isEqualTo(-1);
    Status answer = f.answer("api", TIMEOUT, "a:1", 1);
    assertThat(answer.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(answer.getDescription())
        .isEqualTo(
            "the request to API 'api' did not complete within its deadline (API timeout PT2S, or"
                + " the client's sooner deadline)");
  }
}
