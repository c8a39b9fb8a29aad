package io.serval.router.dispatch;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Long-lived gRPC channels to replicas, shut down (gracefully, in-flight calls finish) when their
 * replica leaves the routes.
 *
 * <p>Given the server's event loops, a replica gets one channel per loop, and a forward uses the
 * channel of the loop it runs on: the request is written, its answer read and the client answered
 * on one thread, with no hand-off between threads on the way (each costs a wake-up, tens of
 * microseconds on a busy machine). Without them, one channel per replica on grpc-java's loops.
 */
public final class ReplicaChannels implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ReplicaChannels.class);

  private record Key(String address, int loop) {}

  private final ConcurrentHashMap<Key, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final int maxMessageSize;
  private final List<EventLoop> loops;

  /**
   * @param eventLoops the NIO event loops the router's servers run on, or null for grpc-java's own
   */
  public ReplicaChannels(int maxMessageSize, EventLoopGroup eventLoops) {
    this.maxMessageSize = maxMessageSize;
    this.loops = nioLoops(eventLoops);
  }

  private static List<EventLoop> nioLoops(EventLoopGroup group) {
    List<EventLoop> out = new ArrayList<>();
    if (group == null) {
      return out;
    }
    for (EventExecutor e : group) {
      if (!(e instanceof NioEventLoop loop)) {
        LOG.infof(
            "event loops are %s, not NIO: replica channels use grpc-java's own loops",
            e.getClass().getSimpleName());
        return List.of();
      }
      out.add(loop);
    }
    return List.copyOf(out);
  }

  /** The channel to {@code address} for the calling thread's event loop. */
  public ManagedChannel get(String address) {
    Key key = new Key(address, currentLoop());
    ManagedChannel c = channels.get(key);
    return c != null ? c : channels.computeIfAbsent(key, this::open);
  }

  private int currentLoop() {
    if (loops.isEmpty()) {
      return -1;
    }
    for (int i = 0; i < loops.size(); i++) {
      if (loops.get(i).inEventLoop()) {
        return i;
      }
    }
    // Timers, probes and tests: any loop will do.
    return ThreadLocalRandom.current().nextInt(loops.size());
  }

  private ManagedChannel open(Key key) {
    NettyChannelBuilder b = NettyChannelBuilder.forTarget(key.address());
    if (key.loop() >= 0) {
      // A loop we do not own: grpc-java leaves it running when the channel shuts down.
      b.eventLoopGroup(loops.get(key.loop())).channelType(NioSocketChannel.class);
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
              if (addresses.contains(e.getKey().address())) {
                return false;
              }
              LOG.debugf("closing channel to %s (left the routes)", e.getKey().address());
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
