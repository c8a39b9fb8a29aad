package io.serval.router.dispatch;

import io.grpc.Status;
import java.util.Set;

/**
 * Carries one attempt of a request to one replica and reports how it ended. The dispatcher's logic
 * (admission, retries, answers) sees only this, so it is tested with a fake; {@link
 * GrpcReplicaTransport} is the real one.
 */
interface ReplicaTransport {

  /**
   * Prepares an attempt; nothing is sent before {@link Attempt#send}. Kept apart from sending so
   * that the caller can publish the attempt (for a cancel from another thread) before its listener
   * may run.
   *
   * @param timeoutNanos the time the attempt may take before it ends with DEADLINE_EXCEEDED
   */
  Attempt newAttempt(String replica, long timeoutNanos, AttemptListener listener);

  /**
   * Prepares an attempt that carries the request's trace context to the replica. Transports that
   * have no headers to carry it in (test fakes) ignore it.
   */
  default Attempt newAttempt(
      String replica, long timeoutNanos, RequestTrace trace, AttemptListener listener) {
    return newAttempt(replica, timeoutNanos, listener);
  }

  /** Forgets whatever it keeps for replicas that left the routes. */
  void retain(Set<String> replicas);

  /** One attempt on one replica. */
  interface Attempt {
    /** Sends the serialized request and half-closes; the listener hears the end exactly once. */
    void send(byte[] request);

    /** Ends the attempt; its listener then hears CANCELLED unless it had already ended. */
    void cancel(String reason);
  }

  /** How an attempt ended; called once, from any thread, never blocking. */
  interface AttemptListener {
    /**
     * @param response the replica's message, or null when it sent none
     * @param replicaReplied whether the replica sent headers or trailers (its own status)
     * @param headersSent whether the request's HEADERS reached the connection
     */
    void onClose(Status status, byte[] response, boolean replicaReplied, boolean headersSent);
  }
}
