package io.serval.router.access;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Applies the {@link AccessPolicy} to the model RPCs; ServerLive, ServerReady and ServerMetadata
 * stay open for health checks.
 */
@GlobalInterceptor
@Singleton
public class GrpcAccessInterceptor implements ServerInterceptor {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> API_KEY =
      Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

  private final AccessPolicy policy;

  public GrpcAccessInterceptor(AccessPolicy policy) {
    this.policy = policy;
  }

  @Override
  public <Req, Resp> ServerCall.Listener<Req> interceptCall(
      ServerCall<Req, Resp> call, Metadata headers, ServerCallHandler<Req, Resp> next) {
    if (policy.open()
        || call.getMethodDescriptor().getBareMethodName() == null
        || call.getMethodDescriptor().getBareMethodName().startsWith("Server")) {
      return next.startCall(call, headers);
    }
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    String key = AccessPolicy.keyFrom(headers.get(AUTHORIZATION), headers.get(API_KEY));
    switch (policy.check(
        key, remote instanceof InetSocketAddress inet ? inet.getAddress() : null)) {
      case ALLOW -> {
        return next.startCall(call, headers);
      }
      case UNAUTHENTICATED ->
          call.close(
              Status.UNAUTHENTICATED.withDescription(
                  "a valid API key is required (authorization: Bearer <key> or x-api-key)"),
              new Metadata());
      case FORBIDDEN ->
          call.close(
              Status.PERMISSION_DENIED.withDescription(
                  "client address is not in the allowed networks"),
              new Metadata());
    }
    return new ServerCall.Listener<>() {};
  }
}
