package io.serval.autoscaler.security;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.runtime.Startup;
import io.serval.security.PlatformAuthConfig;
import io.serval.security.PlatformToken;
import io.serval.security.grpc.PlatformTokenServerInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Every RPC on the autoscaler's gRPC port (Stats) needs the platform token; gRPC health stays open.
 * Eager, so that an autoscaler without a token fails at start, not at the first call.
 */
@Startup
@ApplicationScoped
@GlobalInterceptor
public class ControlPlaneAuth implements ServerInterceptor {

  private static final Logger LOG = Logger.getLogger(ControlPlaneAuth.class);

  private final ServerInterceptor check;

  @Inject
  public ControlPlaneAuth(PlatformAuthConfig config) {
    this.check =
        PlatformToken.required(config, "autoscaler")
            .<ServerInterceptor>map(
                t -> new PlatformTokenServerInterceptor(t, Set.of("grpc.health.v1.Health")))
            .orElseGet(
                () -> {
                  LOG.warn(
                      "serval.platform.auth-enabled=false: anyone who reaches the autoscaler's gRPC"
                          + " port can report in-flight counts that scale APIs");
                  return null;
                });
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    return check == null ? next.startCall(call, headers) : check.interceptCall(call, headers, next);
  }
}
