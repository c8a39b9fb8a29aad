package io.serval.router.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.serval.proto.control.ApiRoute;
import io.serval.proto.control.RouteSnapshot;
import io.serval.proto.control.RoutesGrpc;
import io.serval.proto.control.WatchRoutesRequest;
import io.serval.router.routing.RouteTableHolder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RoutesWatcherTest {
  private final BlockingQueue<WatchRoutesRequest> requests = new LinkedBlockingQueue<>();
  private final BlockingQueue<StreamObserver<RouteSnapshot>> streams = new LinkedBlockingQueue<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final RouteTableHolder holder = new RouteTableHolder();
  private Server server;
  private ManagedChannel channel;
  private RoutesWatcher watcher;

  private void startOperator() throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new RoutesGrpc.RoutesImplBase() {
                  @Override
                  public void watchRoutes(
                      WatchRoutesRequest req, StreamObserver<RouteSnapshot> out) {
                    requests.add(req);
                    streams.add(out);
                  }
                })
            .build()
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    watcher =
        new RoutesWatcher(
            channel,
            "router-1",
            holder,
            timer,
            new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)));
  }

  @AfterEach
  void stop() {
    watcher.close();
    channel.shutdownNow();
    server.shutdownNow();
    timer.shutdownNow();
  }

  private static RouteSnapshot snapshot(long version, String api) {
    return RouteSnapshot.newBuilder()
        .setVersion(version)
        .addApis(ApiRoute.newBuilder().setName(api))
        .build();
  }

  @Test
  void followsSnapshotsAndKeepsTheLastOneWhileReconnecting() throws Exception {
    startOperator();
    watcher.start();
    StreamObserver<RouteSnapshot> first = streams.poll(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(requests.take().getKnownVersion()).isZero();
    first.onNext(snapshot(1, "a"));
    await().atMost(Duration.ofSeconds(5)).until(() -> holder.current().version() == 1);
    first.onNext(snapshot(2, "b"));
    await().atMost(Duration.ofSeconds(5)).until(() -> holder.current().version() == 2);
    first.onNext(snapshot(1, "stale"));

    first.onCompleted();
    StreamObserver<RouteSnapshot> second = streams.poll(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(second).as("the watcher reconnected").isNotNull();
    assertThat(requests.take().getKnownVersion()).isEqualTo(2);
    assertThat(holder.current().api("b")).as("last routes kept while away").isNotNull();

    second.onNext(snapshot(3, "c"));
    await().atMost(Duration.ofSeconds(5)).until(() -> holder.current().version() == 3);
    assertThat(holder.current().api("c")).isNotNull();
    assertThat(holder.current().api("b")).isNull();
  }

  @Test
  void ignoresAnInvalidSnapshotAndReconnectsAfterAnError() throws Exception {
    startOperator();
    watcher.start();
    StreamObserver<RouteSnapshot> first = streams.poll(5, java.util.concurrent.TimeUnit.SECONDS);
    first.onNext(snapshot(1, "a"));
    await().atMost(Duration.ofSeconds(5)).until(() -> holder.current().version() == 1);
    first.onNext(
        RouteSnapshot.newBuilder()
            .setVersion(2)
            .addApis(ApiRoute.newBuilder().setName("dup"))
            .addApis(ApiRoute.newBuilder().setName("dup"))
            .build());
    first.onError(io.grpc.Status.UNAVAILABLE.asRuntimeException());
    assertThat(streams.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
    assertThat(holder.current().version()).isEqualTo(1);
    assertThat(holder.current().api("a")).isNotNull();
  }

  @Test
  void aRestartedOperatorsFirstSnapshotReplacesTheRoutesWhateverItsVersion() throws Exception {
    startOperator();
    java.util.List<Long> swapped = new java.util.concurrent.CopyOnWriteArrayList<>();
    holder.onSwap(t -> swapped.add(t.version()));
    watcher.start();
    StreamObserver<RouteSnapshot> before = streams.poll(5, TimeUnit.SECONDS);
    for (long v = 1; v <= 7; v++) {
      before.onNext(snapshot(v, "before-" + v));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> holder.current().version() == 7);

    // The operator restarts with an empty state directory: its versions start again at 1.
    before.onError(io.grpc.Status.UNAVAILABLE.asRuntimeException());
    StreamObserver<RouteSnapshot> after = streams.poll(5, TimeUnit.SECONDS);
    assertThat(after).as("the watcher reconnected").isNotNull();
    after.onNext(snapshot(1, "after-1"));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(holder.current().api("after-1")).isNotNull());
    assertThat(holder.current().api("before-7")).isNull();

    after.onNext(snapshot(2, "after-2"));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(holder.current().api("after-2")).isNotNull());

    // Within one stream versions still order snapshots: an older one changes nothing.
    after.onNext(snapshot(1, "stale"));
    after.onNext(snapshot(3, "after-3"));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(holder.current().api("after-3")).isNotNull());
    assertThat(holder.current().version()).isEqualTo(3);
    assertThat(swapped).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 1L, 2L, 3L);
  }
}
