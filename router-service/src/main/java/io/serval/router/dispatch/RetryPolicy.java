package io.serval.router.dispatch;

import io.grpc.Status;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;

/**
 * When a failed forward may be tried again on another replica: only when the request provably never
 * reached a replica. A request that may have reached one is never replayed, even when the replica
 * died without answering: ONNX Runtime kills its whole process on some inputs (an integer Mod or
 * Div by zero raises SIGFPE), so replaying a request that was running when its replica died could
 * take down every replica in turn. Ray Serve retries only its assignment step for the same reason.
 *
 * <p>Provably never delivered (see {@link #classify}):
 *
 * <ul>
 *   <li>the connection could not be made (refused, unresolved address);
 *   <li>the stream's HEADERS never reached the socket: grpc-java's Netty transport calls {@code
 *       ClientStreamTracer.outboundHeaders()} only once the write of the HEADERS frame succeeded,
 *       so without it the replica cannot have seen the request (a connection found closed, a GOAWAY
 *       before the stream was sent, a stream buffered behind MAX_CONCURRENT_STREAMS);
 *   <li>the replica refused the stream with RST_STREAM(REFUSED_STREAM), or a graceful GOAWAY
 *       (NO_ERROR) excluded it: HTTP/2 guarantees no processing for both (RFC 9113 §8.7).
 * </ul>
 *
 * The router's channels run with gRPC's own retries off, so each call is exactly one stream and
 * these signals are about that stream.
 */
public final class RetryPolicy {

  /** What became of one forwarded attempt that failed. */
  public enum Delivery {
    /** The request never reached the replica: retrying cannot run it twice. */
    NEVER_DELIVERED,
    /**
     * The request was sent and the connection died before any answer: the replica may have run it,
     * and may have died of it.
     */
    LOST_IN_FLIGHT,
    /**
     * Anything else: the replica answered (headers or trailers, so its status is the answer), or
     * the attempt ended without the transport failing (deadline, cancellation).
     */
    FINAL
  }

  private final int maxAttempts;
  private final long initialBackoffNanos;
  private final long maxBackoffNanos;

  /**
   * @param maxAttempts attempts in all, the first included (1 = no retry)
   */
  public RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must satisfy 0 <= initial (" + initialBackoff + ") <= max (" + maxBackoff + ")");
    }
    this.maxAttempts = maxAttempts;
    this.initialBackoffNanos = initialBackoff.toNanos();
    this.maxBackoffNanos = maxBackoff.toNanos();
  }

  /**
   * @param replicaReplied whether the replica sent headers or trailers on this attempt; every
   *     status a replica sends itself (its "queue full" or "draining" UNAVAILABLE included) arrives
   *     in them
   * @param headersSent whether the stream's HEADERS frame was written to the connection ({@code
   *     ClientStreamTracer.outboundHeaders()})
   */
  public static Delivery classify(Status status, boolean replicaReplied, boolean headersSent) {
    if (replicaReplied || status.getCode() != Status.Code.UNAVAILABLE) {
      return Delivery.FINAL;
    }
    if (connectionRefused(status) || !headersSent || refusedByPeer(status)) {
      return Delivery.NEVER_DELIVERED;
    }
    return Delivery.LOST_IN_FLIGHT;
  }

  /** True when the connection to the replica could not be made at all (refused, unresolved). */
  public static boolean connectionRefused(Status status) {
    if (status.getCode() != Status.Code.UNAVAILABLE) {
      return false;
    }
    for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnresolvedAddressException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /**
   * The replica's HTTP/2 layer refused the stream before any processing, in the words grpc-java's
   * Netty transport uses: "RST_STREAM closed stream. HTTP/2 error code: REFUSED_STREAM", or "Abrupt
   * GOAWAY closed sent stream. HTTP/2 error code: NO_ERROR" for a stream above the GOAWAY's last
   * stream id (grpc-java itself deems only NO_ERROR safe there, as Netty may misreport the id).
   */
  static boolean refusedByPeer(Status status) {
    String d = status.getDescription();
    if (d == null) {
      return false;
    }
    String text = d.toUpperCase(Locale.ROOT);
    return (text.startsWith("RST_STREAM CLOSED STREAM") && text.contains("REFUSED_STREAM"))
        || (text.startsWith("ABRUPT GOAWAY CLOSED SENT STREAM") && text.contains("NO_ERROR"));
  }

  /**
   * @param attemptsMade attempts already made (>= 1)
   * @return the backoff before the next attempt in nanoseconds, or -1 when there is none: the
   *     request may have been delivered, the attempts are used up, or the backoff would end past
   *     the deadline
   */
  public long nextDelayNanos(
      Delivery delivery, int attemptsMade, long nowNanos, long deadlineNanos) {
    if (delivery != Delivery.NEVER_DELIVERED || attemptsMade >= maxAttempts) {
      return -1;
    }
    long delay = initialBackoffNanos;
    for (int i = 1; i < attemptsMade && delay < maxBackoffNanos; i++) {
      delay *= 2;
    }
    delay = Math.min(delay, maxBackoffNanos);
    return deadlineNanos - (nowNanos + delay) > 0 ? delay : -1;
  }
}
