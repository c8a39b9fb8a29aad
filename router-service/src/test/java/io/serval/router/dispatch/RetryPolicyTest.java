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
  void onlyARefusedConnectionCountsAsNeverAccepted() {
    assertThat(RetryPolicy.neverAccepted(refused)).isTrue();
    assertThat(RetryPolicy.neverAccepted(Status.UNAVAILABLE.withDescription("stream reset")))
        .as("the replica may have started work")
        .isFalse();
    assertThat(
            RetryPolicy.neverAccepted(
                Status.INTERNAL.withCause(new ConnectException("Connection refused"))))
        .isFalse();
    assertThat(RetryPolicy.neverAccepted(Status.DEADLINE_EXCEEDED)).isFalse();
  }

  @Test
  void backsOffExponentiallyUpToTheCapAndStopsAfterMaxAttempts() {
    long deadline = 1000 * MS;
    assertThat(policy.nextDelayNanos(refused, 1, 0, deadline)).isEqualTo(5 * MS);
    assertThat(policy.nextDelayNanos(refused, 2, 0, deadline)).isEqualTo(8 * MS);
    assertThat(policy.nextDelayNanos(refused, 3, 0, deadline)).isEqualTo(-1);
  }

  @Test
  void neverRetriesPastTheDeadlineOrAfterWorkMayHaveStarted() {
    assertThat(policy.nextDelayNanos(refused, 1, 0, 5 * MS)).isEqualTo(-1);
    assertThat(policy.nextDelayNanos(refused, 1, 0, 6 * MS)).isEqualTo(5 * MS);
    assertThat(policy.nextDelayNanos(Status.UNAVAILABLE, 1, 0, 1000 * MS)).isEqualTo(-1);
    assertThat(policy.nextDelayNanos(Status.INTERNAL, 1, 0, 1000 * MS)).isEqualTo(-1);
  }
}
