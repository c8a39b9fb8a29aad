package io.serval.v2;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.InputStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers a gRPC request whose message cannot be parsed with INVALID_ARGUMENT and the parser's
 * reason, instead of grpc-java's UNKNOWN "Application error processing RPC" and a stack trace in
 * the server's log for each such request.
 *
 * <p>grpc-java parses a request with the method's marshaller before any interceptor sees it, and
 * treats a parse failure as a fault of the application. So each method is re-registered with a
 * marshaller that parses as the method's own does, where it did, but returns a failure as a value
 * instead of throwing it; the listener here answers it as the client's error (a bad tag, a
 * truncated field, a string that is not UTF-8). Nothing is copied beyond what the parse did.
 */
public final class MalformedRequestGuard {
  private static final Logger LOG = Logger.getLogger(MalformedRequestGuard.class.getName());

  private MalformedRequestGuard() {}

  /** The same service, each method's request parsed so that a malformed one is the client's. */
  public static ServerServiceDefinition guard(ServerServiceDefinition service) {
    ServerServiceDefinition.Builder b =
        ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
    for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
      b.addMethod(wrap(m));
    }
    return b.build();
  }

  private static <Req, Resp> ServerMethodDefinition<Parsed<Req>, Resp> wrap(
      ServerMethodDefinition<Req, Resp> def) {
    MethodDescriptor<Req, Resp> method = def.getMethodDescriptor();
    MethodDescriptor<Parsed<Req>, Resp> guarded =
        method.toBuilder(
                new ParsingMarshaller<>(method.getRequestMarshaller()),
                method.getResponseMarshaller())
            .build();
    return ServerMethodDefinition.create(
        guarded, new Handler<>(method, def.getServerCallHandler()));
  }

  /** A parsed request, or why it could not be parsed. */
  record Parsed<Req>(Req value, RuntimeException failure) {}

  /** The method's own marshaller, its parse failure returned rather than thrown. */
  record ParsingMarshaller<Req>(MethodDescriptor.Marshaller<Req> marshaller)
      implements MethodDescriptor.Marshaller<Parsed<Req>> {
    @Override
    public InputStream stream(Parsed<Req> value) {
      return marshaller.stream(value.value());
    }

    @Override
    public Parsed<Req> parse(InputStream stream) {
      try {
        return new Parsed<>(marshaller.parse(stream), null);
      } catch (RuntimeException e) {
        return new Parsed<>(null, e);
      }
    }
  }

  /**
   * The reason a request could not be parsed, for the client: the innermost cause's message (the
   * protobuf parser's, e.g. "Protocol message contained an invalid tag (zero).").
   */
  static String reason(MethodDescriptor<?, ?> method, Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String detail = c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
    return messageName(method) + " is malformed: " + detail;
  }

  private static String messageName(MethodDescriptor<?, ?> method) {
    if (method.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> p
        && p.getMessagePrototype() != null) {
      return p.getMessagePrototype().getClass().getSimpleName();
    }
    return "the request to " + method.getBareMethodName();
  }

  private record Handler<Req, Resp>(
      MethodDescriptor<Req, Resp> method, ServerCallHandler<Req, Resp> next)
      implements ServerCallHandler<Parsed<Req>, Resp> {

    @Override
    public ServerCall.Listener<Parsed<Req>> startCall(
        ServerCall<Parsed<Req>, Resp> call, Metadata headers) {
      ServerCall.Listener<Req> listener = next.startCall(new TypedCall<>(call, method), headers);
      return new ParsingListener<>(call, method, listener);
    }
  }

  /** Passes parsed messages on; a malformed one closes the call and the rest is dropped. */
  private static final class ParsingListener<Req, Resp> extends ServerCall.Listener<Parsed<Req>> {
    private final ServerCall<Parsed<Req>, Resp> call;
    private final MethodDescriptor<Req, Resp> method;
    private final ServerCall.Listener<Req> next;
    private boolean rejected;

    ParsingListener(
        ServerCall<Parsed<Req>, Resp> call,
        MethodDescriptor<Req, Resp> method,
        ServerCall.Listener<Req> next) {
      this.call = call;
      this.method = method;
      this.next = next;
    }

    @Override
    public void onMessage(Parsed<Req> message) {
      if (rejected) {
        return;
      }
      if (message.failure() != null) {
        rejected = true;
        String reason = reason(method, message.failure());
        // The client's mistake, so no stack trace: a log line per bad request is enough to flood.
        LOG.log(Level.FINE, "{0}: {1}", new Object[] {method.getFullMethodName(), reason});
        call.close(Status.INVALID_ARGUMENT.withDescription(reason), new Metadata());
        return;
      }
      next.onMessage(message.value());
    }

    @Override
    public void onHalfClose() {
      if (!rejected) {
        next.onHalfClose();
      }
    }

    @Override
    public void onReady() {
      if (!rejected) {
        next.onReady();
      }
    }

    @Override
    public void onCancel() {
      next.onCancel();
    }

    @Override
    public void onComplete() {
      next.onComplete();
    }
  }

  /** The call as the service sees it: typed requests, the original method descriptor. */
  private static final class TypedCall<Req, Resp> extends ServerCall<Req, Resp> {
    private final ServerCall<Parsed<Req>, Resp> call;
    private final MethodDescriptor<Req, Resp> method;

    TypedCall(ServerCall<Parsed<Req>, Resp> call, MethodDescriptor<Req, Resp> method) {
      this.call = call;
      this.method = method;
    }

    @Override
    public void request(int numMessages) {
      call.request(numMessages);
    }

    @Override
    public void sendHeaders(Metadata headers) {
      call.sendHeaders(headers);
    }

    @Override
    public void sendMessage(Resp message) {
      call.sendMessage(message);
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public void close(Status status, Metadata trailers) {
      call.close(status, trailers);
    }

    @Override
    public boolean isCancelled() {
      return call.isCancelled();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      call.setMessageCompression(enabled);
    }

    @Override
    public void setCompression(String compressor) {
      call.setCompression(compressor);
    }

    @Override
    public void setOnReadyThreshold(int numBytes) {
      call.setOnReadyThreshold(numBytes);
    }

    @Override
    public SecurityLevel getSecurityLevel() {
      return call.getSecurityLevel();
    }

    @Override
    public Attributes getAttributes() {
      return call.getAttributes();
    }

    @Override
    public String getAuthority() {
      return call.getAuthority();
    }

    @Override
    public MethodDescriptor<Req, Resp> getMethodDescriptor() {
      return method;
    }
  }
}
