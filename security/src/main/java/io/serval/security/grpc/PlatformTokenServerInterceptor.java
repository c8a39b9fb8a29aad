package io.serval.security.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.serval.security.PlatformAuthConfig;
import io.serval.security.PlatformToken;
import java.util.Set;

/**
 * Refuses every control-plane call that does not carry the platform token as {@code authorization:
 * Bearer <token>} metadata, with UNAUTHENTICATED and a message that says what is missing. The
 * services named as open (gRPC health) need no token.
 */
public final class PlatformTokenServerInterceptor implements ServerInterceptor {

  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final String PREFIX = "Bearer ";

  private final PlatformToken token;
  private final Set<String> openServices;

  /** gRPC health: probes and load balancers call it without credentials. */
  public static final Set<String> HEALTH = Set.of("grpc.health.v1.Health");

  /**
   * The check a service's gRPC server runs on every call: the platform token on every service but
   * gRPC health; or, where {@code serval.platform.auth-enabled=false}, none, said once with a
   * warning naming what is then open to anyone who reaches the port.
   *
   * @param service the service's name, for the messages ("operator")
   * @param exposed what a caller could do without the check ("set replicas and report outcomes")
   * @throws IllegalStateException when the check is on and no token is configured (fail at start)
   */
  public static ServerInterceptor forService(
      PlatformAuthConfig config, String service, String exposed) {
    return PlatformToken.required(config, service)
        .<ServerInterceptor>map(t -> new PlatformTokenServerInterceptor(t, HEALTH))
        .orElseGet(
            () -> {
              System.getLogger(PlatformTokenServerInterceptor.class.getName())
                  .log(
                      System.Logger.Level.WARNING,
                      "serval.platform.auth-enabled=false: anyone who reaches the "
                          + service
                          + "'s gRPC port can "
                          + exposed);
              return new ServerInterceptor() {
                @Override
                public <Q, A> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
                  return next.startCall(call, headers);
                }
              };
            });
  }

  /**
   * @param openServices full service names callable without the token (e.g. grpc.health.v1.Health)
   */
  public PlatformTokenServerInterceptor(PlatformToken token, Set<String> openServices) {
    this.token = token;
    this.openServices = Set.copyOf(openServices);
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    if (openServices.contains(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    String header = headers.get(AUTHORIZATION);
    if (header != null
        && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        && token.matches(header.substring(PREFIX.length()))) {
      return next.startCall(call, headers);
    }
    String why =
        header == null
            ? "missing platform credential: control-plane calls must carry \"authorization: Bearer"
                + " <platform token>\" metadata (serval.platform.token-file)"
            : "invalid platform credential: the bearer token is not this platform's token";
    call.close(
        Status.UNAUTHENTICATED.withDescription(
            why + " (" + call.getMethodDescriptor().getFullMethodName() + ")"),
        new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
