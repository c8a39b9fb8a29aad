package io.serval.operator.scaling;

import static io.serval.operator.spec.SpecFixtures.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import io.serval.operator.OperatorTestResource;
import io.serval.operator.canary.RevisionOutcomeLedger;
import io.serval.operator.control.ResourceRegistry;
import io.serval.proto.control.ApiSample;
import io.serval.proto.control.ListAutoscaledApisRequest;
import io.serval.proto.control.RevisionSample;
import io.serval.proto.control.RouteSnapshot;
import io.serval.proto.control.RoutesGrpc;
import io.serval.proto.control.ScalingGrpc;
import io.serval.proto.control.SetDesiredReplicasRequest;
import io.serval.proto.control.StatsAck;
import io.serval.proto.control.StatsGrpc;
import io.serval.proto.control.StatsReport;
import io.serval.proto.control.WakeUpRequest;
import io.serval.proto.control.WatchRoutesRequest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every RPC on the operator's gRPC port needs the platform token. */
@QuarkusTest
class ControlPlaneAuthTest {

  @Inject ResourceRegistry registry;
  @Inject RevisionOutcomeLedger ledger;

  @Test
  void setDesiredReplicasWithoutTheTokenIsUnauthenticatedAndChangesNothing() throws Exception {
    registry.deploy(api("auth-a", "autoscaling: {minReplicas: 1, maxReplicas: 9}"));
    int before = registry.api("auth-a").orElseThrow().desiredReplicas();
    for (Optional<String> token :
        java.util.List.of(Optional.<String>empty(), Optional.of("x".repeat(30)))) {
      ManagedChannel channel = OperatorTestResource.channel(token);
      try {
        ScalingGrpc.ScalingBlockingStub scaling =
            ScalingGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        assertThatThrownBy(
                () ->
                    scaling.setDesiredReplicas(
                        SetDesiredReplicasRequest.newBuilder()
                            .setApi("auth-a")
                            .setReplicas(9)
                            .build()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> {
                  assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                  assertThat(e.getStatus().getDescription())
                      .contains(
                          token.isEmpty()
                              ? "missing platform credential"
                              : "invalid platform credential");
                });
        assertThatThrownBy(
                () -> scaling.wakeUp(WakeUpRequest.newBuilder().setApi("auth-a").build()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThatThrownBy(
                () -> scaling.listAutoscaledApis(ListAutoscaledApisRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    assertThat(registry.api("auth-a").orElseThrow().desiredReplicas()).isEqualTo(before);

    ManagedChannel channel = OperatorTestResource.controlChannel();
    try {
      int applied =
          ScalingGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .setDesiredReplicas(
                  SetDesiredReplicasRequest.newBuilder().setApi("auth-a").setReplicas(9).build())
              .getAppliedReplicas();
      assertThat(applied).isEqualTo(9);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void watchRoutesWithoutTheTokenIsUnauthenticated() throws Exception {
    ManagedChannel channel = OperatorTestResource.channel(Optional.empty());
    try {
      CompletableFuture<Status> ended = new CompletableFuture<>();
      RoutesGrpc.newStub(channel)
          .watchRoutes(
              WatchRoutesRequest.newBuilder().setRouterId("intruder").build(),
              new StreamObserver<RouteSnapshot>() {
                @Override
                public void onNext(RouteSnapshot value) {
                  ended.complete(Status.OK.withDescription("got a snapshot"));
                }

                @Override
                public void onError(Throwable t) {
                  ended.complete(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                  ended.complete(Status.OK);
                }
              });
      await().atMost(Duration.ofSeconds(10)).until(ended::isDone);
      assertThat(ended.get().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void canaryOutcomesWithoutTheTokenAreUnauthenticatedAndNotRecorded() throws Exception {
    ManagedChannel channel = OperatorTestResource.channel(Optional.empty());
    try {
      CompletableFuture<Status> ended = new CompletableFuture<>();
      StreamObserver<StatsReport> reports =
          StatsGrpc.newStub(channel)
              .reportStats(
                  new StreamObserver<StatsAck>() {
                    @Override
                    public void onNext(StatsAck value) {}

                    @Override
                    public void onError(Throwable t) {
                      ended.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                      ended.complete(Status.OK);
                    }
                  });
      reports.onNext(
          StatsReport.newBuilder()
              .setRouterId("intruder")
              .addSamples(
                  ApiSample.newBuilder()
                      .setApi("auth-canary")
                      .addRevisions(
                          RevisionSample.newBuilder()
                              .setRevision("r2")
                              .setAnswered(1000)
                              .setFailed(1000)))
              .build());
      reports.onCompleted();
      await().atMost(Duration.ofSeconds(10)).until(ended::isDone);
      assertThat(ended.get().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(ledger.since("auth-canary", "r2", Instant.EPOCH).answered()).isZero();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
