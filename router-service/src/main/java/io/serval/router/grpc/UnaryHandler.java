package io.serval.router.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.serval.router.dispatch.InferenceDispatcher.Handle;
import io.serval.router.queue.Ticker;
import java.util.concurrent.TimeUnit;

/**
 * A unary server call answered asynchronously, with the {@code serval-revision} trailer and
 * cancellation passed on to the work it started. Unlike grpc-java's stub helpers it gives the body
 * the trailers and the client's deadline.
 */
final class UnaryHandler<Req, Resp> implements ServerCallHandler<Req, Resp> {

  static final Metadata.Key<String> REVISION =
      Metadata.Key.of("serval-revision", Metadata.ASCII_STRING_MARSHALLER);

  /** Where the body sends its one answer; any thread, once. */
  interface Reply<Resp> {
    void ok(Resp response, String servedBy);

    void error(Status status, String servedBy);
  }

  @FunctionalInterface
  interface Body<Req, Resp> {
    /**
     * @param clientDeadlineNanos the client's deadline on the ticker's time, or Long.MAX_VALUE
     * @return what cancels the work when the client goes away
     */
    Handle handle(Req request, long clientDeadlineNanos, Reply<Resp> reply);
  }

  private final Ticker ticker;
  private final Body<Req, Resp> body;

  UnaryHandler(Ticker ticker, Body<Req, Resp> body) {
    this.ticker = ticker;
    this.body = body;
  }

  @Override
  public ServerCall.Listener<Req> startCall(ServerCall<Req, Resp> call, Metadata headers) {
    Deadline deadline = Context.current().getDeadline();
    long clientDeadline =
        deadline == null
            ? Long.MAX_VALUE
            : ticker.nanos() + deadline.timeRemaining(TimeUnit.NANOSECONDS);
    call.request(2);
    return new ServerCall.Listener<>() {
      private Req request;
      private Handle handle = Handle.NONE;
      private boolean answered;

      @Override
      public void onMessage(Req message) {
        if (request != null) {
          answered = true;
          call.close(
              Status.INVALID_ARGUMENT.withDescription("unary call carried more than one request"),
              new Metadata());
          return;
        }
        request = message;
      }

      @Override
      public void onHalfClose() {
        if (answered) {
          return;
        }
        if (request == null) {
          call.close(
              Status.INVALID_ARGUMENT.withDescription("unary call carried no request"),
              new Metadata());
          return;
        }
        handle = body.handle(request, clientDeadline, new CallReply<>(call));
      }

      @Override
      public void onCancel() {
        handle.cancel();
      }
    };
  }

  private static final class CallReply<Resp> implements Reply<Resp> {
    private final ServerCall<?, Resp> call;

    CallReply(ServerCall<?, Resp> call) {
      this.call = call;
    }

    @Override
    public void ok(Resp response, String servedBy) {
      if (call.isCancelled()) {
        return;
      }
      call.sendHeaders(new Metadata());
      call.sendMessage(response);
      call.close(Status.OK, trailers(servedBy));
    }

    @Override
    public void error(Status status, String servedBy) {
      if (call.isCancelled()) {
        return;
      }
      call.close(status, trailers(servedBy));
    }

    private static Metadata trailers(String servedBy) {
      Metadata t = new Metadata();
      if (servedBy != null) {
        t.put(REVISION, servedBy);
      }
      return t;
    }
  }
}
