package io.serval.operator.routes;

import static io.serval.operator.spec.SpecFixtures.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import io.serval.operator.OperatorTestResource;
import io.serval.operator.control.ResourceRegistry;
import io.serval.proto.control.ApiRoute;
import io.serval.proto.control.RouteSnapshot;
import io.serval.proto.control.RoutesGrpc;
import io.serval.proto.control.WatchRoutesRequest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class WatchRoutesTest {

  @Inject ResourceRegistry registry;

  private ManagedChannel channel;

  @BeforeEach
  void connect() {
    channel = OperatorTestResource.controlChannel();
  }

  @AfterEach
  void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void snapshotOnConnectThenAHigherVersionAfterADeploy() {
    List<RouteSnapshot> seen = new CopyOnWriteArrayList<>();
    RoutesGrpc.newStub(channel)
        .watchRoutes(
            WatchRoutesRequest.newBuilder().setRouterId("test-router").build(),
            new StreamObserver<>() {
              @Override
              public void onNext(RouteSnapshot value) {
                seen.add(value);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
    long first = seen.getFirst().getVersion();
    assertThat(first).isPositive();

    registry.deploy(
        api("routes-api", "traffic: {maxConcurrency: 3, maxQueueLength: 7, timeout: 2s}"));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                seen.getLast().getApisList().stream()
                    .anyMatch(a -> a.getName().equals("routes-api")));
    RouteSnapshot last = seen.getLast();
    assertThat(last.getVersion()).isGreaterThan(first);
    ApiRoute route =
        last.getApisList().stream()
            .filter(a -> a.getName().equals("routes-api"))
            .findFirst()
            .orElseThrow();
    assertThat(route.getLimits().getMaxConcurrency()).isEqualTo(3);
    assertThat(route.getLimits().getMaxQueueLength()).isEqualTo(7);
    assertThat(route.getLimits().getTimeout().getSeconds()).isEqualTo(2);
    assertThat(route.getModelName()).isEqualTo("routes-api");
    assertThat(route.getRevisionsList())
        .singleElement()
        .satisfies(r -> assertThat(r.getTrafficPercent()).isEqualTo(100.0));

    // re-applying the same spec publishes nothing new
    int count = seen.size();
    registry.deploy(
        api("routes-api", "traffic: {maxConcurrency: 3, maxQueueLength: 7, timeout: 2s}"));
    registry.deploy(api("routes-api-2"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                seen.getLast().getApisList().stream()
                    .anyMatch(a -> a.getName().equals("routes-api-2")));
    assertThat(seen).hasSize(count + 1);
  }
}
