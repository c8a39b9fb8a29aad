package io.serval.router.control;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.serval.security.PlatformAuthConfig;
import io.serval.security.PlatformToken;
import io.serval.security.grpc.PlatformTokenClientInterceptor;
import java.util.Optional;

/**
 * Channels to the control plane (operator, autoscaler): every call carries the platform token,
 * which both of them require.
 */
public final class ControlChannels {

  private ControlChannels() {}

  public static ManagedChannel open(String target, PlatformAuthConfig platform) {
    NettyChannelBuilder b = NettyChannelBuilder.forTarget(target).usePlaintext();
    PlatformToken.from(platform).ifPresent(t -> b.intercept(new PlatformTokenClientInterceptor(t)));
    return b.build();
  }

  /**
   * Fails fast when the router talks to the control plane (routes from the operator, stats,
   * wake-ups) and has no token to do it with: every call would be refused. With
   * serval.platform.auth-enabled=false (development, the whole platform without tokens) none is
   * needed.
   */
  public static void requireToken(PlatformAuthConfig platform, String why) {
    Optional<PlatformToken> token = PlatformToken.from(platform);
    if (token.isEmpty() && platform.authEnabled()) {
      throw new IllegalStateException(
          "the router "
              + why
              + " and needs the platform token for it: set serval.platform.token-file (or"
              + " SERVAL_PLATFORM_TOKEN); `serval up` generates one");
    }
  }
}
