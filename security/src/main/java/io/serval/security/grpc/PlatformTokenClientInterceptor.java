package io.serval.security.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.serval.security.PlatformToken;

/** Adds the platform token ({@code authorization: Bearer <token>}) to every call of a channel. */
public final class PlatformTokenClientInterceptor implements ClientInterceptor {

  private final String bearer;

  public PlatformTokenClientInterceptor(PlatformToken token) {
    this.bearer = token.bearer();
  }

  @Override
  public <Q, A> ClientCall<Q, A> interceptCall(
      MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<A> listener, Metadata headers) {
        headers.put(PlatformTokenServerInterceptor.AUTHORIZATION, bearer);
        super.start(listener, headers);
      }
    };
  }
}
