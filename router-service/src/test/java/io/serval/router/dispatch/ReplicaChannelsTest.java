package io.serval.router.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplicaChannelsTest {

  private final NioEventLoopGroup group = new NioEventLoopGroup(2);
  private final ReplicaChannels channels = new ReplicaChannels(1 << 20, group);

  @AfterEach
  void close() throws InterruptedException {
    channels.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
  }

  private ManagedChannel getOn(EventLoop loop, String address) throws Exception {
    return loop.submit(() -> channels.get(address)).get(5, TimeUnit.SECONDS);
  }

  @Test
  void eachEventLoopHasItsOwnChannelToAReplica() throws Exception {
    EventLoop first = group.next();
    EventLoop second = group.next();
    assertThat(first).isNotSameAs(second);

    ManagedChannel a1 = getOn(first, "127.0.0.1:1");
    assertThat(getOn(first, "127.0.0.1:1")).isSameAs(a1);
    ManagedChannel a2 = getOn(second, "127.0.0.1:1");
    assertThat(a2).isNotSameAs(a1);
    assertThat(getOn(first, "127.0.0.1:2")).isNotSameAs(a1);
    // off the loops (timers, probes): one of the loops' channels
    assertThat(channels.get("127.0.0.1:1")).isIn(a1, a2);
  }

  @Test
  void retainShutsDownEveryChannelOfAReplicaThatLeft() throws Exception {
    ManagedChannel gone1 = getOn(group.next(), "127.0.0.1:1");
    ManagedChannel gone2 = getOn(group.next(), "127.0.0.1:1");
    ManagedChannel kept = getOn(group.next(), "127.0.0.1:2");

    channels.retain(Set.of("127.0.0.1:2"));

    assertThat(gone1.isShutdown()).isTrue();
    assertThat(gone2.isShutdown()).isTrue();
    assertThat(kept.isShutdown()).isFalse();
    assertThat(group.isShuttingDown()).as("the loops are not the channels' to stop").isFalse();
  }

  @Test
  void withoutLoopsOneChannelPerReplica() {
    try (ReplicaChannels own = new ReplicaChannels(1 << 20, null)) {
      assertThat(own.get("127.0.0.1:1")).isSameAs(own.get("127.0.0.1:1"));
    }
  }
}
