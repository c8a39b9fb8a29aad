package io.serval.router.dispatch;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One long-lived gRPC channel per replica address. Requests to a replica share its HTTP/2
 * connection; a channel is shut down (gracefully, in-flight calls finish) when its replica leaves
 * the routes.
 */
public final class ReplicaChannels implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ReplicaChannels.class);

  private final ConcurrentHashMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final int maxMessageSize;
  private final EventLoopGroup eventLoops;

  /**
   * @param eventLoops NIO event loops to run the channels on (the server's, so a forward and its
   *     answer need no extra thread hop), or null for grpc-java's own
   */
  public ReplicaChannels(int maxMessageSize, EventLoopGroup eventLoops) {
    this.maxMessageSize = maxMessageSize;
    this.eventLoops = eventLoops;
  }

  public ManagedChannel get(String address) {
    ManagedChannel c = channels.get(address);
    return c != null ? c : channels.computeIfAbsent(address, this::open);
  }

  private ManagedChannel open(String address) {
    NettyChannelBuilder b = NettyChannelBuilder.forTarget(address);
    if (eventLoops != null) {
      b.eventLoopGroup(eventLoops).channelType(NioSocketChannel.class);
    }
    return b.usePlaintext()
        // Listeners only hand bytes on and never block, so they run on the transport thread.
        .directExecutor()
        .maxInboundMessageSize(maxMessageSize)
        // The router retries by its own rules (only never-accepted requests, another replica).
        .disableRetry()
        .keepAliveTime(30, TimeUnit.SECONDS)
        .build();
  }

  /** Shuts down channels of replicas that are no longer routed to. */
  public void retain(Set<String> addresses) {
    channels
        .entrySet()
        .removeIf(
            e -> {
              if (addresses.contains(e.getKey())) {
                return false;
              }
              LOG.debugf("closing channel to %s (left the routes)", e.getKey());
              e.getValue().shutdown();
              return true;
            });
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }
}
