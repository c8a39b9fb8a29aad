package io.serval.operator.runtime.kubernetes;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.serval.operator.OperatorTestResource;
import io.serval.operator.api.ApiToken;
import io.serval.operator.runtime.ReplicaRuntime;
import io.serval.proto.control.ScalingGrpc;
import io.serval.proto.control.SetDesiredReplicasRequest;
import io.serval.proto.control.WakeUpRequest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas share one token; this one is not the leader (the Lease is held by another),
 * so it refuses every change, over REST and gRPC, naming the leader, and still serves reads.
 */
@QuarkusTest
@TestProfile(FollowerRefusesWritesTest.FollowerProfile.class)
class FollowerRefusesWritesTest {

  public static class FollowerProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "serval.operator.runtime", "kubernetes",
          "serval.operator.kubernetes.leader-election.enabled", "true",
          "serval.operator.kubernetes.leader-election.identity", "follower-op",
          // The leader renewed its Lease just now: long durations keep it valid for the test.
          "serval.operator.kubernetes.leader-election.lease-duration", "1h",
          "serval.operator.kubernetes.leader-election.renew-deadline", "30m",
          "serval.operator.kubernetes.leader-election.retry-period", "200ms",
          "serval.operator.kubernetes.reconcile-interval", "200ms");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(LeaseHeldElsewhereResource.class));
    }
  }

  @Inject ApiToken token;
  @Inject ReplicaRuntime runtime;

  @Test
  void aFollowerRefusesChangesNamingTheLeaderAndServesReads() throws Exception {
    await().atMost(Duration.ofSeconds(20)).until(() -> runtime.leaderState().leader().isPresent());
    assertThat(runtime.leaderState().leads()).isFalse();

    given()
        .header("Authorization", "Bearer " + token.value())
        .contentType("application/yaml")
        .body(
            "kind: RealtimeApi\nmetadata: {name: f}\nspec: {model: {uri: \"https://m/x.onnx\"}}\n"
                .getBytes(StandardCharsets.UTF_8))
        .post("/v1/deploy")
        .then()
        .statusCode(503)
        .header("Retry-After", "2")
        .body("error", containsString("follower-op) is not the leader"))
        .body("error", containsString("the leader is " + LeaseHeldElsewhereResource.LEADER));
    // A dry run goes to the leader too: only its state is the one a deploy would be planned on.
    given()
        .header("Authorization", "Bearer " + token.value())
        .contentType("application/yaml")
        .body(
            "kind: RealtimeApi\nmetadata: {name: f}\nspec: {model: {uri: \"https://m/x.onnx\"}}\n"
                .getBytes(StandardCharsets.UTF_8))
        .post("/v1/deploy?dryRun=true")
        .then()
        .statusCode(503)
        .header("Retry-After", "2")
        .body("error", containsString("the leader is " + LeaseHeldElsewhereResource.LEADER));
    given()
        .header("Authorization", "Bearer " + token.value())
        .delete("/v1/apis/f")
        .then()
        .statusCode(503);
    given()
        .header("Authorization", "Bearer " + token.value())
        .get("/v1/apis")
        .then()
        .statusCode(200);
    // Authentication comes first: a follower tells an unauthenticated caller nothing more.
    given().delete("/v1/apis/f").then().statusCode(401);

    ManagedChannel channel = OperatorTestResource.controlChannel();
    try {
      ScalingGrpc.ScalingBlockingStub scaling =
          ScalingGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
      assertThatThrownBy(
              () ->
                  scaling.setDesiredReplicas(
                      SetDesiredReplicasRequest.newBuilder().setApi("f").setReplicas(3).build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getStatus().getDescription())
                    .contains("not the leader", LeaseHeldElsewhereResource.LEADER);
              });
      assertThatThrownBy(() -> scaling.wakeUp(WakeUpRequest.newBuilder().setApi("f").build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
