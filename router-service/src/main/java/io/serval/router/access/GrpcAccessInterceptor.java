package io.serval.router.access;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import io.serval.router.wire.InferenceMethods;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Set;

/**
 * Applies the {@link AccessPolicy} to every RPC of the router's gRPC server except the health
 * checks named in {@link #OPEN}: a method is open only by its exact full name, so whatever the
 * server adds later (another service, another V2 method) is protected by default.
 */
@GlobalInterceptor
@Singleton
public class GrpcAccessInterceptor implements ServerInterceptor {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> API_KEY =
      Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

  /** Full method names served without a key: probes have none. */
  static final Set<String> OPEN =
      Set.of(
          MethodDescriptor.generateFullMethodName(InferenceMethods.SERVICE, "ServerLive"),
          MethodDescriptor.generateFullMethodName(InferenceMethods.SERVICE, "ServerReady"),
          "grpc.health.v1.Health/Check",
          "grpc.health.v1.Health/Watch");

  private final AccessPolicy policy;

  public GrpcAccessInterceptor(AccessPolicy policy) {
    this.policy = policy;
  }

  @Override
  public <Req, Resp> ServerCall.Listener<Req> interceptCall(
      ServerCall<Req, Resp> call, Metadata headers, ServerCallHandler<Req, Resp> next) {
    if (policy.open() || OPEN.contains(call.getMethodDescriptor().getFullMethodName())) {
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
