package io.serval.router.dispatch;

import static io.serval.router.dispatch.RetryPolicy.Delivery.FINAL;
import static io.serval.router.dispatch.RetryPolicy.Delivery.LOST_IN_FLIGHT;
import static io.serval.router.dispatch.RetryPolicy.Delivery.NEVER_DELIVERED;
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

  /** What grpc-java's Netty transport reports when the connection dies under a sent stream. */
  private static final Status[] CONNECTION_LOST = {
    Status.UNAVAILABLE
        .withDescription("io exception")
        .withCause(new IOException("Connection reset by peer")),
    Status.UNAVAILABLE.withDescription("Network closed for unknown reason"),
    Status.UNAVAILABLE.withDescription(
        "Abrupt GOAWAY closed sent stream. HTTP/2 error code: INTERNAL_ERROR"),
  };

  @Test
  void aRefusedConnectionWasNeverDelivered() {
    assertThat(RetryPolicy.classify(refused, false, false)).isEqualTo(NEVER_DELIVERED);
    assertThat(RetryPolicy.connectionRefused(refused)).isTrue();
    assertThat(
            RetryPolicy.classify(
                Status.INTERNAL.withCause(new ConnectException("Connection refused")),
                false,
                false))
        .isEqualTo(FINAL);
  }

  @Test
  void aConnectionLostBeforeTheHeadersWereWrittenWasNeverDeliveredAndIsRetried() {
    Status closed =
        Status.UNAVAILABLE.withDescription("Connection closed while stream is buffered");
    Status goAway =
        Status.UNAVAILABLE.withDescription(
            "GOAWAY closed buffered stream. HTTP/2 error code: NO_ERROR");
    for (Status s : new Status[] {closed, goAway, CONNECTION_LOST[0], CONNECTION_LOST[1]}) {
      assertThat(RetryPolicy.classify(s, false, false)).as("%s", s).isEqualTo(NEVER_DELIVERED);
      assertThat(policy.nextDelayNanos(NEVER_DELIVERED, 1, 0, 1000 * MS)).isEqualTo(5 * MS);
    }
  }

  /** The poison request: sent, then its replica died (SIGFPE) before answering. */
  @Test
  void aConnectionLostAfterTheRequestWasSentIsNeverRetried() {
    for (Status s : CONNECTION_LOST) {
      assertThat(RetryPolicy.classify(s, false, true)).as("%s", s).isEqualTo(LOST_IN_FLIGHT);
      assertThat(RetryPolicy.connectionRefused(s)).as("%s", s).isFalse();
    }
    assertThat(policy.nextDelayNanos(LOST_IN_FLIGHT, 1, 0, 1000 * MS)).isEqualTo(-1);
  }

  @Test
  void aStreamTheReplicaRefusedOrAGracefulGoAwayExcludedWasNeverDelivered() {
    Status rstRefused =
        Status.UNAVAILABLE.withDescription(
            "RST_STREAM closed stream. HTTP/2 error code: REFUSED_STREAM");
    Status gracefulGoAway =
        Status.UNAVAILABLE.withDescription(
            "Abrupt GOAWAY closed sent stream. HTTP/2 error code: NO_ERROR");
    assertThat(RetryPolicy.classify(rstRefused, false, true)).isEqualTo(NEVER_DELIVERED);
    assertThat(RetryPolicy.classify(gracefulGoAway, false, true)).isEqualTo(NEVER_DELIVERED);
    Status rstCancel =
        Status.CANCELLED.withDescription("RST_STREAM closed stream. HTTP/2 error code: CANCEL");
    assertThat(RetryPolicy.classify(rstCancel, false, true)).isEqualTo(FINAL);
    Status rstInternal =
        Status.UNAVAILABLE.withDescription(
            "RST_STREAM closed stream. HTTP/2 error code: INTERNAL_ERROR");
    assertThat(RetryPolicy.classify(rstInternal, false, true)).isEqualTo(LOST_IN_FLIGHT);
  }

  @Test
  void anUnavailableTheReplicaSentItselfIsNotRetried() {
    Status queueFull = Status.UNAVAILABLE.withDescription("queue full");
    assertThat(RetryPolicy.classify(queueFull, true, true))
        .as("sent in trailers: the replica took the request and answered")
        .isEqualTo(FINAL);
    assertThat(policy.nextDelayNanos(FINAL, 1, 0, 1000 * MS)).isEqualTo(-1);
  }

  @Test
  void deadlinesAndCancellationsAreNeverRetriedEvenWithoutAReply() {
    for (Status s : new Status[] {Status.DEADLINE_EXCEEDED, Status.CANCELLED, Status.INTERNAL}) {
      assertThat(RetryPolicy.classify(s, false, false)).as("%s", s).isEqualTo(FINAL);
      assertThat(RetryPolicy.classify(s, false, true)).as("%s", s).isEqualTo(FINAL);
    }
  }

  @Test
  void backsOffExponentiallyUpToTheCapAndStopsAfterMaxAttempts() {
    long deadline = 1000 * MS;
    assertThat(policy.nextDelayNanos(NEVER_DELIVERED, 1, 0, deadline)).isEqualTo(5 * MS);
    assertThat(policy.nextDelayNanos(NEVER_DELIVERED, 2, 0, deadline)).isEqualTo(8 * MS);
    assertThat(policy.nextDelayNanos(NEVER_DELIVERED, 3, 0, deadline)).isEqualTo(-1);
  }

  @Test
  void neverRetriesPastTheDeadline() {
    assertThat(policy.nextDelayNanos(NEVER_DELIVERED, 1, 0, 5 * MS)).isEqualTo(-1);
    assertThat(policy.nextDelayNanos(NEVER_DELIVERED, 1, 0, 6 * MS)).isEqualTo(5 * MS);
  }
}
