package io.serval.operator.security;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.runtime.Startup;
import io.serval.security.PlatformAuthConfig;
import io.serval.security.grpc.PlatformTokenServerInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Every RPC on the operator's gRPC port (Routes, Scaling, Stats) needs the platform token; gRPC
 * health stays open. Eager, so that an operator without a token fails at start, not at the first
 * call.
 */
@Startup
@ApplicationScoped
@GlobalInterceptor
public class ControlPlaneAuth implements ServerInterceptor {

  private final ServerInterceptor check;

  @Inject
  public ControlPlaneAuth(PlatformAuthConfig config) {
    this.check =
        PlatformTokenServerInterceptor.forService(
            config, "operator", "set replicas and report outcomes");
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    return check.interceptCall(call, headers, next);
  }
}
