package io.serval.autoscaler.operator;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.serval.autoscaler.config.AutoscalerConfig;
import io.serval.autoscaler.config.OperatorAddress;
import io.serval.proto.control.ScalingGrpc;
import io.serval.security.PlatformAuthConfig;
import io.serval.security.PlatformToken;
import io.serval.security.grpc.PlatformTokenClientInterceptor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * One long-lived channel to the operator. gRPC reconnects on its own when the operator comes back;
 * each call carries its own deadline.
 */
@ApplicationScoped
public class OperatorChannel {

  private final ManagedChannel channel;
  private final long deadlineMillis;

  public OperatorChannel(AutoscalerConfig config, PlatformAuthConfig platform) {
    OperatorAddress address = OperatorAddress.parse(config.operatorAddress());
    ManagedChannelBuilder<?> b =
        ManagedChannelBuilder.forAddress(address.host(), address.port()).usePlaintext();
    // The operator requires the platform token on every call (the autoscaler's own server does
    // too).
    PlatformToken.from(platform).ifPresent(t -> b.intercept(new PlatformTokenClientInterceptor(t)));
    this.channel = b.build();
    this.deadlineMillis = config.operatorCallTimeout().toMillis();
  }

  ScalingGrpc.ScalingBlockingStub scaling() {
    return ScalingGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Lets the next call reconnect at once instead of waiting out gRPC's reconnect backoff (up to 2
   * minutes): our own retries already pace the calls, and the operator may be back by now.
   */
  void reconnectNow() {
    // Also drops the connection (calls in flight finish on it): behind a Kubernetes Service the
    // next one may reach another operator replica, the leader, where a follower refused the call.
    channel.enterIdle();
    channel.resetConnectBackoff();
  }

  @PreDestroy
  void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
  }
}
