package io.serval.router.dispatch;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Attempts the test ends by hand; nothing goes over a network. */
final class FakeTransport implements ReplicaTransport {
  final List<FakeAttempt> attempts = new ArrayList<>();
  final Set<String> retained = new HashSet<>();

  @Override
  public Attempt newAttempt(String replica, long timeoutNanos, AttemptListener listener) {
    FakeAttempt a = new FakeAttempt(replica, timeoutNanos, listener);
    attempts.add(a);
    return a;
  }

  @Override
  public void retain(Set<String> replicas) {
    retained.clear();
    retained.addAll(replicas);
  }

  FakeAttempt last() {
    return attempts.get(attempts.size() - 1);
  }

  static final class FakeAttempt implements Attempt {
    final String replica;
    final long timeoutNanos;
    private final AttemptListener listener;
    byte[] sent;
    String cancelled;
    private boolean closed;

    FakeAttempt(String replica, long timeoutNanos, AttemptListener listener) {
      this.replica = replica;
      this.timeoutNanos = timeoutNanos;
      this.listener = listener;
    }

    @Override
    public void send(byte[] request) {
      sent = request;
    }

    /** Like a gRPC call: a cancel ends the attempt with CANCELLED, once. */
    @Override
    public void cancel(String reason) {
      cancelled = reason;
      close(Status.CANCELLED.withDescription(reason), null, false, true);
    }

    void answer(byte[] response) {
      close(Status.OK, response, true, true);
    }

    /** The replica's own error status (it sent trailers). */
    void replicaError(Status status) {
      close(status, null, true, true);
    }

    /** A failure made by the transport, the replica silent. */
    void transportError(Status status, boolean headersSent) {
      close(status, null, false, headersSent);
    }

    private void close(Status status, byte[] response, boolean replied, boolean headersSent) {
      if (closed) {
        return;
      }
      closed = true;
      listener.onClose(status, response, replied, headersSent);
    }
  }
}
