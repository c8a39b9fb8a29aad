package io.serval.operator.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.serval.operator.api.ApiToken;
import io.serval.operator.spec.SpecFixtures;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The operator's gauges on /q/metrics through a deploy and a delete, and the scrape targets. */
@QuarkusTest
class OperatorMetricsEndpointTest {

  @Inject ApiToken token;

  @Test
  void aDeployedApiHasItsSeriesAndADeletedOneLosesThem() {
    String yaml = SpecFixtures.MINILM.replace("name: minilm", "name: metrics-minilm");
    String revision =
        given()
            .header("Authorization", "Bearer " + token.value())
            .contentType("application/yaml")
            .body(yaml.getBytes(StandardCharsets.UTF_8))
            .post("/v1/deploy")
            .then()
            .statusCode(200)
            .extract()
            .path("resources[0].revision");

    assertThat(metrics())
        .contains("serval_operator_desired_replicas{api=\"metrics-minilm\"} 1.0")
        .contains(
            "serval_operator_traffic_percent{api=\"metrics-minilm\",revision=\""
                + revision
                + "\"} 100.0")
        .contains("serval_operator_ready_replicas{api=\"metrics-minilm\",revision=\"" + revision)
        .contains("serval_operator_crash_looping_replicas{api=\"metrics-minilm\"")
        .contains("serval_operator_rollout_in_progress{api=\"metrics-minilm\"} 0.0");

    given()
        .header("Authorization", "Bearer " + token.value())
        .delete("/v1/apis/metrics-minilm")
        .then()
        .statusCode(200);

    assertThat(metrics()).doesNotContain("api=\"metrics-minilm\"");
  }

  @Test
  void scrapeTargetsAreAManagementReadTheReadOnlyTokenMayMake() {
    given().get("/v1/scrape-targets").then().statusCode(401);
    given()
        .header("Authorization", "Bearer " + token.readValue())
        .get("/v1/scrape-targets")
        .then()
        .statusCode(200)
        .contentType("application/json");
  }

  private static String metrics() {
    return given().get("/q/metrics").then().statusCode(200).extract().asString();
  }
}
