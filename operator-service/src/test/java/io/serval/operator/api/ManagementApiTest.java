package io.serval.operator.api;

import static io.restassured.RestAssured.given;
import static io.serval.operator.spec.SpecFixtures.api;
import static io.serval.operator.spec.SpecFixtures.splitter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.serval.operator.spec.SpecFixtures;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ManagementApiTest {

  @Inject ApiToken token;

  private ValidatableResponse deploy(String body, String contentType) {
    return given()
        .header("Authorization", "Bearer " + token.value())
        .contentType(contentType)
        .body(body.getBytes(StandardCharsets.UTF_8))
        .post("/v1/deploy")
        .then();
  }

  @Test
  void deploysYamlAndReapplyingChangesNothing() {
    String yaml = SpecFixtures.MINILM.replace("name: minilm", "name: mgmt-minilm");
    deploy(yaml, "application/yaml")
        .statusCode(200)
        .body("changed", is(true))
        .body("resources[0].action", equalTo("created"))
        .body("resources[0].revision", notNullValue());
    deploy(yaml, "application/yaml")
        .statusCode(200)
        .body("changed", is(false))
        .body("message", containsString("nothing changed"))
        .body("resources[0].action", equalTo("unchanged"))
        .body("resources[0].generation", is(1));

    given()
        .header("Authorization", "Bearer " + token.value())
        .get("/v1/apis/mgmt-minilm")
        .then()
        .statusCode(200)
        .body("kind", equalTo("RealtimeApi"))
        .body("metadata.generation", is(1))
        .body("spec.traffic.timeout", equalTo("10s"))
        .body("spec.autoscaling.targetInFlight", is(8.0f))
        .body("status.observedGeneration", is(1))
        .body("status.replicas.requested", is(1))
        .body("status.endpoint", equalTo("http://localhost:8080/v2/models/mgmt-minilm"))
        .body("status.conditions.type", hasItems("Ready", "RolloutInProgress", "Degraded"));
    given()
        .header("Authorization", "Bearer " + token.value())
        .get("/v1/apis")
        .then()
        .statusCode(200)
        .body("metadata.name", hasItem("mgmt-minilm"));
  }

  @Test
  void inPlaceChangeKeepsTheRevisionAndModelChangeMakesANewOne() {
    String rev1 =
        deploy(api("mgmt-rev"), "application/yaml")
            .statusCode(200)
            .extract()
            .path("resources[0].revision");
    deploy(api("mgmt-rev", "traffic: {maxConcurrency: 4}"), "application/yaml")
        .statusCode(200)
        .body("resources[0].action", equalTo("configured"))
        .body("resources[0].revision", equalTo(rev1))
        .body("resources[0].generation", is(2));
    String rev2 =
        deploy(
                api("mgmt-rev", "traffic: {maxConcurrency: 4}\npredictor: {threadsPerWorker: 2}"),
                "application/yaml")
            .statusCode(200)
            .body("resources[0].action", equalTo("updated"))
            .extract()
            .path("resources[0].revision");
    assertThat(rev2).isNotEqualTo(rev1);
    given()
        .header("Authorization", "Bearer " + token.value())
        .post("/v1/apis/mgmt-rev/rollback")
        .then()
        .statusCode(200)
        .body("spec.predictor.threadsPerWorker", is(1))
        .body("metadata.generation", is(4))
        .body("status.revisions.find { it.current }.revision", equalTo(rev1));
  }

  @Test
  void acceptsJson() {
    deploy(
            "{\"kind\":\"RealtimeApi\",\"metadata\":{\"name\":\"mgmt-json\"},"
                + "\"spec\":{\"model\":{\"uri\":\"file:m.onnx\"}}}",
            "application/json")
        .statusCode(200)
        .body("resources[0].name", equalTo("mgmt-json"));
  }

  @Test
  void outOfBoundsValuesAndHugeDurationsAre400sWithTheirFieldPaths() {
    String yaml =
        api(
            "mgmt-huge",
            "predictor: {workers: 65}\n"
                + "traffic: {timeout: 999999999999h}\n"
                + "autoscaling: {minReplicas: 1, maxReplicas: 300000}");
    deploy(yaml, "application/yaml")
        .statusCode(400)
        .body(
            "problems",
            hasItems(
                "mgmt-huge: spec.predictor.workers: must be at most 64, got 65",
                "mgmt-huge: spec.traffic.timeout: must be at most 8760h, got \"999999999999h\"",
                "mgmt-huge: spec.autoscaling.maxReplicas: must be at most 1000, got 300000"));
    given()
        .header("Authorization", "Bearer " + token.value())
        .get("/v1/apis/mgmt-huge")
        .then()
        .statusCode(404);
  }

  @Test
  void refusesInvalidSpecsListingEveryProblemAndAppliesNothing() {
    String yaml =
        api("mgmt-ok")
            + "---\n"
            + api(
                "mgmt-bad",
                "autoscaling: {minReplicas: 1, maxReplicas: 0}\npredictor: {batchSize: 4}");
    deploy(yaml, "application/yaml")
        .statusCode(400)
        .body(
            "error",
            containsString(
                "mgmt-bad: spec.autoscaling.maxReplicas: must be >= minReplicas (1), got 0"))
        .body(
            "problems",
            hasItems(
                "mgmt-bad: spec.autoscaling.maxReplicas: must be >= minReplicas (1), got 0",
                "mgmt-bad: spec.predictor.batchSize: unknown field; known fields: workers,"
                    + " threadsPerWorker, batching, warmup"));
    given()
        .header("Authorization", "Bearer " + token.value())
        .get("/v1/apis/mgmt-ok")
        .then()
        .statusCode(404)
        .body("error", containsString("mgmt-ok"));
  }

  @Test
  void versionIsTheBuildsBehindTheReadToken() {
    given().get("/v1/version").then().statusCode(401);
    given()
        .header("Authorization", "Bearer " + token.readValue())
        .get("/v1/version")
        .then()
        .statusCode(200)
        .body("name", is("serval-operator"))
        .body(
            "version",
            is(ConfigProvider.getConfig().getValue("quarkus.application.version", String.class)))
        .body("version", matchesPattern("\\d+\\.\\d+\\.\\d+.*"));
  }

  @Test
  void mutatingCallsNeedTheAdminToken() throws Exception {
    given()
        .contentType("application/yaml")
        .body(api("mgmt-noauth").getBytes(StandardCharsets.UTF_8))
        .post("/v1/deploy")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("Bearer"))
        .body("error", containsString("Authorization"));
    given()
        .header("Authorization", "Bearer wrong")
        .contentType("application/yaml")
        .body(api("mgmt-noauth").getBytes(StandardCharsets.UTF_8))
        .post("/v1/deploy")
        .then()
        .statusCode(401);
    given()
        .header("Authorization", "Bearer " + token.readValue())
        .contentType("application/yaml")
        .body(api("mgmt-noauth").getBytes(StandardCharsets.UTF_8))
        .post("/v1/deploy")
        .then()
        .statusCode(403)
        .body("error", containsString("read-only token cannot POST"));
    given().delete("/v1/apis/anything").then().statusCode(401);
    given()
        .header("Authorization", "Bearer " + token.readValue())
        .get("/v1/apis/mgmt-noauth")
        .then()
        .statusCode(404);
    assertThat(Files.getPosixFilePermissions(token.file()))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(Files.getPosixFilePermissions(token.readFile()))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void credentialsInTheModelUriAreNeverShown() {
    String yaml =
        api("mgmt-secret")
            .replace(
                "file:models/m.onnx",
                "https://alice:hunter2@models.example/m.onnx?X-Amz-Credential=AKIAX"
                    + "&X-Amz-Signature=deadbeef&v=3");
    deploy(yaml, "application/yaml").statusCode(200);
    String shown =
        given()
            .header("Authorization", "Bearer " + token.value())
            .get("/v1/apis/mgmt-secret")
            .then()
            .statusCode(200)
            .body(
                "spec.model.uri",
                equalTo(
                    "https://REDACTED@models.example/m.onnx?X-Amz-Credential=REDACTED"
                        + "&X-Amz-Signature=REDACTED&v=3"))
            .extract()
            .asString();
    String listed =
        given()
            .header("Authorization", "Bearer " + token.value())
            .get("/v1/apis")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(shown + listed).doesNotContain("hunter2", "AKIAX", "deadbeef");
    // Re-applying the same spec changes nothing: the stored spec keeps the real URI.
    deploy(yaml, "application/yaml").statusCode(200).body("changed", is(false));
    // A refused URI is quoted redacted too.
    deploy(
            api("mgmt-secret-bad").replace("file:models/m.onnx", "ftp://bob:pw1234@h/m.onnx"),
            "application/yaml")
        .statusCode(400)
        .body(not(containsString("pw1234")))
        .body(containsString("ftp://REDACTED@h/m.onnx"));
  }

  @Test
  void readsNeedATokenToo() {
    deploy(api("mgmt-read"), "application/yaml").statusCode(200);
    for (String path :
        new String[] {
          "/v1/apis",
          "/v1/apis/mgmt-read",
          "/v1/apis/mgmt-read/replicas",
          "/v1/apis/mgmt-read/logs",
          "/v1/splitters",
          "/v1/apis/unknown-api",
          "/v1/%61pis/mgmt-read"
        }) {
      given()
          .urlEncodingEnabled(false)
          .get(path)
          .then()
          .statusCode(401)
          .header("WWW-Authenticate", containsString("Bearer"))
          .body("error", containsString("missing Authorization header"));
      given()
          .urlEncodingEnabled(false)
          .header("Authorization", "Bearer not-a-token")
          .get(path)
          .then()
          .statusCode(401)
          .body("error", containsString("invalid bearer token"));
    }
    given()
        .header("Authorization", "Bearer " + token.readValue())
        .get("/v1/apis/mgmt-read")
        .then()
        .statusCode(200)
        .body("metadata.name", equalTo("mgmt-read"));
    given()
        .header("Authorization", "Bearer " + token.value())
        .get("/v1/apis/mgmt-read/logs")
        .then()
        .statusCode(200);
    // Other spellings of a path either reach the resource (and its filter) or nothing at all.
    for (String path : new String[] {"/v1//apis/mgmt-read", "/v1/./apis/mgmt-read"}) {
      given()
          .urlEncodingEnabled(false)
          .get(path)
          .then()
          .statusCode(anyOf(is(401), is(404)))
          .body(not(containsString("spec")));
    }
    // Health stays open for probes.
    given().get("/q/health/ready").then().statusCode(200);
  }

  @Test
  void deletingAnApiASplitterUsesConflicts() {
    deploy(
            api("mgmt-a")
                + "---\n"
                + api("mgmt-b")
                + "---\n"
                + splitter(
                    "mgmt-split", "- {name: mgmt-a, weight: 70}\n- {name: mgmt-b, weight: 30}"),
            "application/yaml")
        .statusCode(200);
    given()
        .header("Authorization", "Bearer " + token.value())
        .get("/v1/splitters/mgmt-split")
        .then()
        .statusCode(200)
        .body("spec.apis.name", hasItems("mgmt-a", "mgmt-b"));
    given()
        .header("Authorization", "Bearer " + token.value())
        .delete("/v1/apis/mgmt-a")
        .then()
        .statusCode(409)
        .body(
            "error",
            equalTo(
                "mgmt-a is used by traffic splitter mgmt-split; change or delete the splitter first"));
    given()
        .header("Authorization", "Bearer " + token.value())
        .delete("/v1/splitters/mgmt-split")
        .then()
        .statusCode(200);
    given()
        .header("Authorization", "Bearer " + token.value())
        .delete("/v1/apis/mgmt-a")
        .then()
        .statusCode(200)
        .body("deleted", equalTo("mgmt-a"));
    given()
        .header("Authorization", "Bearer " + token.value())
        .get("/v1/apis/mgmt-a")
        .then()
        .statusCode(404);
    given()
        .header("Authorization", "Bearer " + token.value())
        .delete("/v1/apis/mgmt-a")
        .then()
        .statusCode(404)
        .body("error", equalTo("no API named \"mgmt-a\""));
  }

  @Test
  void splitterTargetsMustExist() {
    deploy(splitter("mgmt-orphan", "- {name: mgmt-nowhere, weight: 100}"), "application/yaml")
        .statusCode(400)
        .body(
            "problems",
            hasItem(
                "mgmt-orphan: spec.apis[0].name: no RealtimeApi named \"mgmt-nowhere\" in this"
                    + " deploy or already deployed"));
  }

  @Test
  void splitterRollbackRestoresWeights() {
    deploy(
            api("mgmt-c")
                + "---\n"
                + api("mgmt-d")
                + "---\n"
                + splitter("mgmt-s2", "- {name: mgmt-c, weight: 100}"),
            "application/yaml")
        .statusCode(200);
    deploy(
            splitter("mgmt-s2", "- {name: mgmt-c, weight: 50}\n- {name: mgmt-d, weight: 50}"),
            "application/yaml")
        .statusCode(200)
        .body("resources[0].action", equalTo("configured"));
    given()
        .header("Authorization", "Bearer " + token.value())
        .post("/v1/splitters/mgmt-s2/rollback")
        .then()
        .statusCode(200)
        .body("spec.apis.size()", is(1))
        .body("metadata.generation", is(3));
    given()
        .header("Authorization", "Bearer " + token.value())
        .get("/v1/apis/mgmt-c/logs")
        .then()
        .statusCode(200);
    given()
        .header("Authorization", "Bearer " + token.value())
        .get("/v1/splitters/mgmt-s2/logs")
        .then()
        .statusCode(200);
  }

  private ValidatableResponse dryRun(String body) {
    return given()
        .header("Authorization", "Bearer " + token.value())
        .contentType("application/yaml")
        .body(body.getBytes(StandardCharsets.UTF_8))
        .post("/v1/deploy?dryRun=true")
        .then();
  }

  @Test
  void dryRunOfANewApiPlansItAndStoresNothing() {
    dryRun(api("mgmt-dry-new"))
        .statusCode(200)
        .body("dryRun", is(true))
        .body("changed", is(true))
        .body("message", containsString("dry run, nothing applied"))
        .body("resources[0].action", equalTo("created"))
        .body("resources[0].revision", notNullValue())
        .body("resources[0].changes", hasSize(0));
    given()
        .header("Authorization", "Bearer " + token.value())
        .get("/v1/apis/mgmt-dry-new")
        .then()
        .statusCode(404);
    // The real deploy afterwards is a creation still: the dry run left no trace.
    deploy(api("mgmt-dry-new"), "application/yaml")
        .statusCode(200)
        .body("dryRun", is(false))
        .body("resources[0].action", equalTo("created"))
        .body("resources[0].generation", is(1))
        .body("resources[0]", not(hasKey("changes")));
  }

  @Test
  void dryRunOfAChangedSpecNamesEachFieldAndWhetherItIsANewRevision() {
    String rev1 =
        deploy(api("mgmt-dry", "traffic: {maxConcurrency: 4}"), "application/yaml")
            .statusCode(200)
            .extract()
            .path("resources[0].revision");
    dryRun(api("mgmt-dry", "traffic: {maxConcurrency: 8}"))
        .statusCode(200)
        .body("changed", is(true))
        .body("resources[0].action", equalTo("configured"))
        .body("resources[0].revision", equalTo(rev1))
        // targetInFlight defaults to maxConcurrency, so it follows: the plan names it too.
        .body(
            "resources[0].changes.path",
            contains("spec.traffic.maxConcurrency", "spec.autoscaling.targetInFlight"))
        .body("resources[0].changes[0].from", is(4))
        .body("resources[0].changes[0].to", is(8));
    dryRun(api("mgmt-dry", "traffic: {maxConcurrency: 4}\npredictor: {threadsPerWorker: 2}"))
        .statusCode(200)
        .body("resources[0].action", equalTo("updated"))
        .body("resources[0].revision", not(equalTo(rev1)))
        .body("resources[0].message", containsString("new revision"))
        .body("resources[0].changes.path", contains("spec.predictor.threadsPerWorker"))
        .body("resources[0].changes[0].from", is(1))
        .body("resources[0].changes[0].to", is(2));
    dryRun(api("mgmt-dry", "traffic: {maxConcurrency: 4}"))
        .statusCode(200)
        .body("changed", is(false))
        .body("resources[0].action", equalTo("unchanged"))
        .body("resources[0].changes", hasSize(0));
    // Nothing of the dry runs was applied: same revision, same generation.
    given()
        .header("Authorization", "Bearer " + token.value())
        .get("/v1/apis/mgmt-dry")
        .then()
        .statusCode(200)
        .body("metadata.generation", is(1))
        .body("spec.traffic.maxConcurrency", is(4))
        .body("status.revisions.find { it.current }.revision", equalTo(rev1));
  }

  @Test
  void dryRunOfAnInvalidSpecIsTheSame400AsARealDeploy() {
    String yaml = api("mgmt-dry-bad", "autoscaling: {minReplicas: 1, maxReplicas: 0}");
    String real = deploy(yaml, "application/yaml").statusCode(400).extract().asString();
    String dry = dryRun(yaml).statusCode(400).extract().asString();
    assertThat(dry).isEqualTo(real).contains("spec.autoscaling");
  }

  @Test
  void dryRunNeedsTheAdminToken() {
    given()
        .header("Authorization", "Bearer " + token.readValue())
        .contentType("application/yaml")
        .body(api("mgmt-dry-ro").getBytes(StandardCharsets.UTF_8))
        .post("/v1/deploy?dryRun=true")
        .then()
        .statusCode(403);
  }
}
