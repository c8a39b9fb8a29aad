package io.serval.operator.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.serval.operator.api.ApiToken;
import io.serval.operator.runtime.local.FakePredictor;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The local runtime end to end (replicas are fake predictor JVMs): a canary rollout completes and
 * retires the old revision; a crash-looping revision is rolled back automatically.
 */
@QuarkusTest
@TestProfile(LocalRolloutTest.LocalRuntimeProfile.class)
class LocalRolloutTest {

  public static class LocalRuntimeProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String classes = Path.of("target", "test-classes").toAbsolutePath().toString();
      return Map.of(
          "serval.operator.runtime", "local",
          "serval.operator.local.command",
              String.join(
                  ",",
                  List.of(
                      java,
                      "-Xmx32m",
                      "-XX:TieredStopAtLevel=1",
                      "-cp",
                      classes,
                      FakePredictor.class.getName())),
          "serval.operator.local.tick", "100ms",
          "serval.operator.local.restart-backoff-initial", "100ms",
          "serval.operator.local.restart-backoff-max", "300ms",
          "serval.operator.local.drain-delay", "50ms");
    }
  }

  @Inject ApiToken token;

  private void deploy(String uri) {
    String yaml =
        """
        kind: RealtimeApi
        metadata: {name: roll}
        spec:
          model: {uri: "%s"}
          rollout: {strategy: Canary, steps: [50, 100], stepInterval: 1s}
        """
            .formatted(uri);
    given()
        .header("Authorization", "Bearer " + token.value())
        .contentType("application/yaml")
        .body(yaml.getBytes(StandardCharsets.UTF_8))
        .post("/v1/deploy")
        .then()
        .statusCode(200);
  }

  private io.restassured.response.ValidatableResponse deployRaw(String yaml) {
    return given()
        .header("Authorization", "Bearer " + token.value())
        .contentType("application/yaml")
        .body(yaml.getBytes(StandardCharsets.UTF_8))
        .post("/v1/deploy")
        .then();
  }

  private static String scaledToZero(String name, int maxReplicas) {
    return """
        kind: RealtimeApi
        metadata: {name: %s}
        spec:
          model: {uri: "file:m.onnx"}
          autoscaling: {minReplicas: 0, initReplicas: 0, maxReplicas: %d}
        """
        .formatted(name, maxReplicas);
  }

  @Test
  void theLocalRuntimeRefusesReplicasOverItsCaps() {
    deployRaw(scaledToZero("capped", 17))
        .statusCode(400)
        .body(
            "problems",
            org.hamcrest.Matchers.hasItem(
                "capped: spec.autoscaling.maxReplicas: must be at most 16 on the local runtime"
                    + " (its cap per API, serval.operator.local.max-replicas-per-api), got 17"));
    // five APIs of 16 each: 80 replicas, over the total cap of 64
    StringBuilder five = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      five.append(i == 0 ? "" : "---\n").append(scaledToZero("many-" + i, 16));
    }
    deployRaw(five.toString())
        .statusCode(400)
        .body(
            "problems[0]",
            org.hamcrest.Matchers.containsString(
                "spec.autoscaling.maxReplicas: the APIs on the local runtime would together allow"
                    + " 80 replicas, more than its total cap of 64"
                    + " (serval.operator.local.max-replicas)"));
    given()
        .header("Authorization", "Bearer " + token.value())
        .get("/v1/apis/many-0")
        .then()
        .statusCode(404);
  }

  @Test
  void theLocalRuntimeRefusesModelFilesOutsideItsRoots() {
    deployRaw(scaledToZero("outside", 1).replace("file:m.onnx", "file:/etc/passwd"))
        .statusCode(400)
        .body(
            "problems[0]",
            org.hamcrest.Matchers.startsWith(
                "outside: spec.model.uri: file /etc/passwd is outside the local runtime's model"
                    + " roots"));
    given()
        .header("Authorization", "Bearer " + token.value())
        .get("/v1/apis/outside")
        .then()
        .statusCode(404);
  }

  private JsonPath status() {
    return given()
        .header("Authorization", "Bearer " + token.value())
        .get("/v1/apis/roll")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private String condition(JsonPath s, String type, String field) {
    return s.getString("status.conditions.find { it.type == '" + type + "' }." + field);
  }

  @Test
  void canaryCompletesAndACrashingRevisionIsRolledBack() {
    deploy("file:a.onnx");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "True".equals(condition(status(), "Ready", "status")));
    String r1 = status().getString("status.revisions[0].revision");

    deploy("file:b.onnx");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              JsonPath s = status();
              return "Complete".equals(condition(s, "RolloutInProgress", "reason"))
                  && s.getList("status.revisions").size() == 1
                  && s.getInt("status.replicas.ready") == 1;
            });
    JsonPath done = status();
    String r2 = done.getString("status.revisions[0].revision");
    assertThat(r2).isNotEqualTo(r1);
    assertThat(done.getInt("status.revisions[0].trafficPercent")).isEqualTo(100);
    assertThat(done.getInt("status.replicas.upToDate")).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonPath replicas =
                  given()
                      .header("Authorization", "Bearer " + token.value())
                      .get("/v1/apis/roll/replicas")
                      .then()
                      .statusCode(200)
                      .extract()
                      .jsonPath();
              assertThat(replicas.getList("revision")).containsExactly(r2);
              assertThat(replicas.getList("phase")).containsExactly("READY");
              assertThat(replicas.getList("restarts", Integer.class)).containsExactly(0);
              assertThat(replicas.getString("[0].address"))
                  .matches("127\\.0\\.0\\.1:\\d+|localhost:\\d+");
            });
    given()
        .header("Authorization", "Bearer " + token.value())
        .get("/v1/apis/nope/replicas")
        .then()
        .statusCode(404);

    deploy("file:crash.onnx");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "RolledBack".equals(condition(status(), "RolloutInProgress", "reason")));
    JsonPath back = status();
    assertThat(back.getString("spec.model.uri")).isEqualTo("file:b.onnx");
    assertThat(condition(back, "RolloutInProgress", "message")).contains("crash-looping");
    assertThat(back.getString("status.revisions.find { it.current }.revision")).isEqualTo(r2);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                status().getList("status.revisions").size() == 1
                    && "True".equals(condition(status(), "Ready", "status")));
    assertThat(
            given()
                .header("Authorization", "Bearer " + token.value())
                .get("/v1/apis/roll/logs")
                .then()
                .statusCode(200)
                .extract()
                .asString())
        .contains("listening on");
  }
}
