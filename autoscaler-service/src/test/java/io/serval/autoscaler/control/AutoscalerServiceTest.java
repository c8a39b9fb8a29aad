package io.serval.autoscaler.control;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.serval.autoscaler.fakes.FakeOperator;
import io.serval.autoscaler.fakes.FakeOperatorResource;
import io.serval.autoscaler.fakes.FakeRouter;
import io.serval.proto.control.ApiSample;
import io.serval.proto.control.AutoscalingSpec;
import io.serval.proto.control.StatsReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service end to end with fakes: routers stream samples over the real Stats gRPC service, a
 * fake operator serves Scaling, the tick is 1 s (test profile).
 */
@QuarkusTest
@QuarkusTestResource(FakeOperatorResource.class)
class AutoscalerServiceTest {

  private static final Duration DEADLINE = Duration.ofSeconds(20);

  private final FakeOperator operator = FakeOperatorResource.operator();
  private final List<FakeRouter> routers = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (FakeRouter r : routers) {
      r.close();
    }
    operator.reset();
    operator.start(); // back if a test sent it away
  }

  private FakeRouter router(String id) {
    FakeRouter r = new FakeRouter(id, FakeOperatorResource.statsPort());
    routers.add(r);
    return r;
  }

  private static AutoscalingSpec.Builder spec(int min, int max, double target) {
    return AutoscalingSpec.newBuilder()
        .setMinReplicas(min)
        .setMaxReplicas(max)
        .setTargetInFlight(target)
        .setWindow(seconds(10))
        .setUpscaleStabilizationPeriod(seconds(0))
        .setDownscaleStabilizationPeriod(seconds(300))
        .setMaxUpscaleFactor(1.5)
        .setMaxDownscaleFactor(0.75)
        .setUpscaleTolerance(0.05)
        .setDownscaleTolerance(0.05)
        .setPanicWindow(seconds(3))
        .setPanicThreshold(2.0);
  }

  private static com.google.protobuf.Duration seconds(long s) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(s).build();
  }

  /**
   * The API's last decision. Fails with an assertion (so that an enclosing {@code untilAsserted}
   * keeps waiting) until the first tick has decided: before it, {@code inputs} is null and reading
   * a number from it would throw an exception Awaitility does not retry.
   */
  private static JsonPath explain(String api) {
    JsonPath json =
        given().get("/v1/autoscaler/apis/" + api).then().statusCode(200).extract().jsonPath();
    assertThat(json.getString("decidedAt")).as("a decision for %s", api).isNotNull();
    return json;
  }

  @Test
  void aBurstFromARouterIsDeliveredToTheOperatorAndExplained() {
    // the operator is slow to report the new replicas, so every tick shows the same reasoning
    operator.put("alpha", spec(1, 10, 8).build(), 1, false);
    router("router-1").set("alpha", 40).startReporting();

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(operator.accepted("alpha"))
                    .extracting(FakeOperator.SetCall::replicas)
                    .contains(5));
    assertThat(operator.accepted("alpha"))
        .filteredOn(c -> c.replicas() == 5)
        .first()
        .satisfies(c -> assertThat(c.reason()).startsWith("desired 5 from raw 5.00"));

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              JsonPath json = explain("alpha");
              assertThat(json.getInt("inputs.currentReplicas")).isEqualTo(1);
              assertThat(json.getDouble("inputs.window.averageInFlight")).isEqualTo(40.0);
              assertThat(json.getInt("inputs.window.routers")).isEqualTo(1);
              assertThat(json.getDouble("rawRecommendation")).isEqualTo(5.0);
              assertThat(json.getList("steps.rule", String.class))
                  .containsExactly("max-upscale-factor", "panic");
              assertThat(json.getInt("desiredReplicas")).isEqualTo(5);
              assertThat(json.getBoolean("panic")).isTrue();
              assertThat(json.getString("delivery.state")).isIn("DELIVERED", "PENDING");
            });

    given()
        .get("/v1/autoscaler/apis")
        .then()
        .statusCode(200)
        .body(containsString("\"api\":\"alpha\""));
    given()
        .get("/q/metrics")
        .then()
        .body(containsString("serval_autoscaler_desired_replicas{api=\"alpha\"} 5.0"))
        .body(containsString("serval_autoscaler_panic_mode{api=\"alpha\"} 1.0"))
        .body(containsString("serval_autoscaler_window_average_in_flight{api=\"alpha\"} 40.0"));
  }

  @Test
  void twoRoutersAreSummedAndOneThatStopsReportingAgesOut() {
    operator.put("beta", spec(1, 10, 100).setWindow(seconds(4)).build(), 1, true);
    router("router-a").set("beta", 16).startReporting();
    FakeRouter b = router("router-b").set("beta", 24).startReporting();

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              JsonPath json = explain("beta");
              assertThat(json.getInt("inputs.window.routers")).isEqualTo(2);
              assertThat(json.getDouble("inputs.window.averageInFlight")).isEqualTo(40.0);
            });

    b.pause(); // silent, stream still open: only its age removes it
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              JsonPath json = explain("beta");
              assertThat(json.getInt("inputs.window.routers")).isEqualTo(1);
              assertThat(json.getDouble("inputs.window.averageInFlight")).isEqualTo(16.0);
            });
  }

  @Test
  void aDecisionMadeWhileTheOperatorIsAwayIsDeliveredOnceWhenItIsBack() throws Exception {
    operator.put("gamma", spec(1, 10, 8).build(), 1, true);
    operator.refuseSets(true);
    router("router-1").set("gamma", 40).startReporting();

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              assertThat(operator.refused("gamma")).isGreaterThanOrEqualTo(2);
              assertThat(explain("gamma").getString("delivery.state")).isEqualTo("RETRYING");
            });
    assertThat(operator.accepted("gamma")).isEmpty();

    operator.stop(); // now entirely away: ticks are skipped, the pending decision stays
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                given()
                    .get("/q/metrics")
                    .then()
                    .body(
                        containsString(
                            "serval_autoscaler_ticks_total{outcome=\"operator-unavailable\"}")));
    operator.refuseSets(false);
    operator.start();

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(operator.accepted("gamma"))
                    .extracting(FakeOperator.SetCall::replicas)
                    .containsExactly(5));
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> operator.accepted("gamma").size() == 1);
    assertThat(explain("gamma").getString("delivery.state")).isIn("DELIVERED", "UNCHANGED");
  }

  @Test
  void aWokenApiIsNotScaledBackToZeroBeforeTheDownscalePeriod() {
    operator.put(
        "delta", spec(0, 5, 8).setDownscaleStabilizationPeriod(seconds(5)).build(), 0, true);
    router("router-1").set("delta", 0).startReporting();
    // at zero with no requests for longer than the period: nothing to do
    await()
        .during(Duration.ofSeconds(6))
        .atMost(Duration.ofSeconds(8))
        .until(() -> operator.accepted("delta").isEmpty());
    assertThat(explain("delta").getInt("desiredReplicas")).isZero();

    long wokenAt = System.currentTimeMillis();
    operator.setReplicas("delta", 1); // a router's WakeUp reached the operator

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(operator.accepted("delta"))
                    .extracting(FakeOperator.SetCall::replicas)
                    .containsExactly(0));
    long zeroAfter = operator.accepted("delta").get(0).atMillis() - wokenAt;
    assertThat(zeroAfter).isGreaterThanOrEqualTo(5_000);
  }

  @Test
  void versionIsTheBuildsOnTheOpenPort() {
    given()
        .get("/v1/version")
        .then()
        .statusCode(200)
        .body("name", is("serval-autoscaler"))
        .body(
            "version",
            is(ConfigProvider.getConfig().getValue("quarkus.application.version", String.class)))
        .body("version", matchesPattern("\\d+\\.\\d+\\.\\d+.*"));
  }

  @Test
  void anUnknownApiIsA404NamingIt() {
    given()
        .get("/v1/autoscaler/apis/nope")
        .then()
        .statusCode(404)
        .body("error", containsString("'nope' is not autoscaled"));
  }

  @Test
  void aMalformedReportEndsTheStreamWithInvalidArgument() {
    FakeRouter r = router("router-bad");
    r.send(
        StatsReport.newBuilder()
            .setRouterId("router-bad")
            .setTimestampMillis(System.currentTimeMillis())
            .addSamples(ApiSample.newBuilder().setApi("x").setInFlight(-3))
            .build());
    await().atMost(DEADLINE).until(r.result::isDone);
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, r.result::get);
    Status status = Status.fromThrowable(e.getCause());
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .isEqualTo(
            "StatsReport from router 'router-bad': samples[0].in_flight must be a finite number"
                + " >= 0, got -3.0");
  }
}
