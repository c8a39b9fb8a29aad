package io.serval.router.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final long MS = 1_000_000L;
  private final RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(8));
  private final Status refused =
      Status.UNAVAILABLE.withCause(
          new IOException("wrapped", new ConnectException("Connection refused")));

  @Test
  void aRefusedConnectionIsNeverAccepted() {
    assertThat(RetryPolicy.neverAccepted(refused, false)).isTrue();
    assertThat(RetryPolicy.connectionRefused(refused)).isTrue();
    assertThat(
            RetryPolicy.neverAccepted(
                Status.INTERNAL.withCause(new ConnectException("Connection refused")), false))
        .isFalse();
  }

  @Test
  void aConnectionLostBeforeTheReplicaRepliedIsNeverAcceptedAndRetried() {
    Status closed =
        Status.UNAVAILABLE
            .withDescription("io exception")
            .withCause(new IOException("Connection reset by peer"));
    Status networkClosed = Status.UNAVAILABLE.withDescription("Network closed for unknown reason");
    for (Status s : new Status[] {closed, networkClosed}) {
      assertThat(RetryPolicy.neverAccepted(s, false)).as("%s", s).isTrue();
      assertThat(RetryPolicy.connectionRefused(s)).as("%s", s).isFalse();
      assertThat(policy.nextDelayNanos(s, false, 1, 0, 1000 * MS)).isEqualTo(5 * MS);
    }
  }

  @Test
  void anUnavailableTheReplicaSentItselfIsNotRetried() {
    Status queueFull = Status.UNAVAILABLE.withDescription("queue full");
    assertThat(RetryPolicy.neverAccepted(queueFull, true))
        .as("sent in trailers: the replica took the request and answered")
        .isFalse();
    assertThat(policy.nextDelayNanos(queueFull, true, 1, 0, 1000 * MS)).isEqualTo(-1);
  }

  @Test
  void deadlinesAndCancellationsAreNeverRetriedEvenWithoutAReply() {
    for (Status s : new Status[] {Status.DEADLINE_EXCEEDED, Status.CANCELLED, Status.INTERNAL}) {
      assertThat(RetryPolicy.neverAccepted(s, false)).as("%s", s).isFalse();
      assertThat(policy.nextDelayNanos(s, false, 1, 0, 1000 * MS)).as("%s", s).isEqualTo(-1);
    }
  }

  @Test
  void backsOffExponentiallyUpToTheCapAndStopsAfterMaxAttempts() {
    long deadline = 1000 * MS;
    assertThat(policy.nextDelayNanos(refused, false, 1, 0, deadline)).isEqualTo(5 * MS);
    assertThat(policy.nextDelayNanos(refused, false, 2, 0, deadline)).isEqualTo(8 * MS);
    assertThat(policy.nextDelayNanos(refused, false, 3, 0, deadline)).isEqualTo(-1);
  }

  @Test
  void neverRetriesPastTheDeadlineOrAfterWorkMayHaveStarted() {
    assertThat(policy.nextDelayNanos(refused, false, 1, 0, 5 * MS)).isEqualTo(-1);
    assertThat(policy.nextDelayNanos(refused, false, 1, 0, 6 * MS)).isEqualTo(5 * MS);
    assertThat(policy.nextDelayNanos(Status.UNAVAILABLE, true, 1, 0, 1000 * MS)).isEqualTo(-1);
    assertThat(policy.nextDelayNanos(Status.INTERNAL, true, 1, 0, 1000 * MS)).isEqualTo(-1);
  }
}
