package io.serval.router.dispatch;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import io.serval.router.wire.InferenceMethods;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Attempts over gRPC: the request goes as the bytes it is (no parsing), on the replica's long-lived
 * channel, with a {@link ReplicaReply} noting whether it reached the replica.
 */
final class GrpcReplicaTransport implements ReplicaTransport {
  private final ReplicaChannels channels;

  GrpcReplicaTransport(ReplicaChannels channels) {
    this.channels = channels;
  }

  @Override
  public Attempt newAttempt(String replica, long timeoutNanos, AttemptListener listener) {
    return newAttempt(replica, timeoutNanos, RequestTrace.NONE, listener);
  }

  @Override
  public Attempt newAttempt(
      String replica, long timeoutNanos, RequestTrace trace, AttemptListener listener) {
    ReplicaReply reply = new ReplicaReply();
    ClientCall<byte[], byte[]> call;
    // Detached from whatever server call's Context this thread runs in (a ClientCall captures it
    // when created): a drain triggered by one request must not tie another request's forward to
    // the first one's lifetime. Cancellation and deadline are handled explicitly.
    Context previous = Context.ROOT.attach();
    try {
      call =
          channels
              .get(replica)
              .newCall(
                  InferenceMethods.MODEL_INFER_BYTES,
                  CallOptions.DEFAULT
                      .withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS)
                      .withStreamTracerFactory(reply));
    } finally {
      Context.ROOT.detach(previous);
    }
    return new GrpcAttempt(call, reply, trace, listener);
  }

  @Override
  public void retain(Set<String> replicas) {
    channels.retain(replicas);
  }

  private static final class GrpcAttempt extends ClientCall.Listener<byte[]> implements Attempt {
    private final ClientCall<byte[], byte[]> call;
    private final ReplicaReply reply;
    private final RequestTrace trace;
    private final AttemptListener listener;
    private byte[] response;

    GrpcAttempt(
        ClientCall<byte[], byte[]> call,
        ReplicaReply reply,
        RequestTrace trace,
        AttemptListener listener) {
      this.call = call;
      this.reply = reply;
      this.trace = trace;
      this.listener = listener;
    }

    @Override
    public void send(byte[] request) {
      Context previous = Context.ROOT.attach();
      try {
        // The replica's server span continues this forward's (traceparent); nothing when off.
        Metadata headers = new Metadata();
        trace.inject(headers);
        call.start(this, headers);
        call.request(1);
        call.sendMessage(request);
        call.halfClose();
      } finally {
        Context.ROOT.detach(previous);
      }
    }

    @Override
    public void cancel(String reason) {
      call.cancel(reason, null);
    }

    @Override
    public void onMessage(byte[] message) {
      response = message;
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      listener.onClose(status, response, reply.heard(), reply.headersSent());
    }
  }
}
