package io.serval.operator.scaling;

import static io.serval.operator.spec.SpecFixtures.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.serval.operator.OperatorTestResource;
import io.serval.operator.control.ResourceRegistry;
import io.serval.proto.control.AutoscaledApi;
import io.serval.proto.control.ListAutoscaledApisRequest;
import io.serval.proto.control.ScalingGrpc;
import io.serval.proto.control.SetDesiredReplicasRequest;
import io.serval.proto.control.WakeUpRequest;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ScalingServiceTest {

  @Inject ResourceRegistry registry;

  private ManagedChannel channel;
  private ScalingGrpc.ScalingBlockingStub scaling;

  @BeforeEach
  void connect() {
    channel = OperatorTestResource.controlChannel();
    scaling = ScalingGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private int set(String api, int replicas) {
    return scaling
        .setDesiredReplicas(
            SetDesiredReplicasRequest.newBuilder()
                .setApi(api)
                .setReplicas(replicas)
                .setReason("test")
                .build())
        .getAppliedReplicas();
  }

  @Test
  void clampsToMinAndMaxAndIsIdempotent() {
    registry.deploy(
        api("scale-a", "autoscaling: {minReplicas: 2, maxReplicas: 5, targetInFlight: 1.5}"));
    assertThat(set("scale-a", 9)).isEqualTo(5);
    assertThat(set("scale-a", 1)).isEqualTo(2);
    assertThat(set("scale-a", 3)).isEqualTo(3);
    long generation = registry.api("scale-a").orElseThrow().generation();
    var before = registry.api("scale-a").orElseThrow();
    assertThat(set("scale-a", 3)).isEqualTo(3);
    assertThat(registry.api("scale-a").orElseThrow()).isEqualTo(before);
    assertThat(registry.api("scale-a").orElseThrow().generation()).isEqualTo(generation);
    assertThat(registry.api("scale-a").orElseThrow().scaleReason()).isEqualTo("test");

    AutoscaledApi listed =
        scaling
            .listAutoscaledApis(ListAutoscaledApisRequest.getDefaultInstance())
            .getApisList()
            .stream()
            .filter(a -> a.getName().equals("scale-a"))
            .findFirst()
            .orElseThrow();
    assertThat(listed.getCurrentReplicas()).isEqualTo(3);
    assertThat(listed.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(listed.getSpec().getMaxReplicas()).isEqualTo(5);
    assertThat(listed.getSpec().getTargetInFlight()).isEqualTo(1.5);
    assertThat(listed.getSpec().getWindow().getSeconds()).isEqualTo(60);
    assertThat(listed.getSpec().getPanicThreshold()).isEqualTo(2.0);
  }

  @Test
  void wakesUpAnApiAtZero() {
    registry.deploy(api("scale-zero", "autoscaling: {minReplicas: 0, maxReplicas: 3}"));
    assertThat(set("scale-zero", 0)).isZero();
    assertThat(
            scaling
                .wakeUp(WakeUpRequest.newBuilder().setApi("scale-zero").setRouterId("r1").build())
                .getDesiredReplicas())
        .isEqualTo(1);
    assertThat(registry.api("scale-zero").orElseThrow().desiredReplicas()).isEqualTo(1);
  }

  @Test
  void refusesUnknownApisAndNegativeCounts() {
    assertThatThrownBy(() -> set("scale-nowhere", 1))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    registry.deploy(api("scale-b"));
    assertThatThrownBy(() -> set("scale-b", -1))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }
}
