package io.serval.autoscaler.control;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.serval.autoscaler.fakes.FakeOperator;
import io.serval.autoscaler.fakes.FakeOperatorResource;
import io.serval.autoscaler.fakes.FakeRouter;
import io.serval.proto.control.AutoscalingSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code serval.autoscaler.panic-on-report}, a burst is decided when the router's report
 * arrives, not at the next tick: with a 30 s tick, a burst right after a tick is decided long
 * before the next one.
 */
@QuarkusTest
@TestProfile(PanicOnReportTest.LongTick.class)
@QuarkusTestResource(FakeOperatorResource.class)
class PanicOnReportTest {

  /**
   * A tick long enough that a decision in between can only come from a report, even on a busy
   * machine (where a call to the operator can take seconds: hence the longer call timeout).
   */
  public static final class LongTick implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "serval.autoscaler.tick", "30s",
          "serval.autoscaler.operator-call-timeout", "5s",
          "serval.autoscaler.panic-on-report", "true");
    }
  }

  private static final Duration TICK = Duration.ofSeconds(30);

  private final FakeOperator operator = FakeOperatorResource.operator();
  private FakeRouter router;

  @AfterEach
  void cleanUp() throws Exception {
    if (router != null) {
      router.close();
    }
    operator.reset();
  }

  private static com.google.protobuf.Duration seconds(long s) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(s).build();
  }

  @Test
  void aBurstIsDecidedWhenItsReportArrivesNotAtTheNextTick() {
    operator.put(
        "burst",
        AutoscalingSpec.newBuilder()
            .setMinReplicas(1)
            .setMaxReplicas(10)
            .setTargetInFlight(8)
            .setWindow(seconds(10))
            .setUpscaleStabilizationPeriod(seconds(0))
            .setDownscaleStabilizationPeriod(seconds(300))
            .setMaxUpscaleFactor(1.5)
            .setMaxDownscaleFactor(0.75)
            .setUpscaleTolerance(0.05)
            .setDownscaleTolerance(0.05)
            .setPanicWindow(seconds(1))
            .setPanicThreshold(2.0)
            .build(),
        1,
        false);
    router = new FakeRouter("router-1", FakeOperatorResource.statsPort());
    router.set("burst", 4).startReporting();

    // A scheduled tick has listed the API (and decided to keep 1 replica).
    Instant listedAt =
        await()
            .atMost(TICK.multipliedBy(2).plusSeconds(10))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> decidedAt("burst"), at -> at != null);
    router.set("burst", 40);

    FakeOperator.SetCall call =
        await()
            .atMost(TICK.plusSeconds(10))
            .until(
                () -> operator.accepted("burst").stream().findFirst().orElse(null), c -> c != null);
    assertThat(call.replicas()).isEqualTo(5);
    assertThat(call.reason()).contains("last rule: panic");
    // The next scheduled tick was due 30 s after the one that listed the API.
    assertThat(call.atMillis() - listedAt.toEpochMilli())
        .as("decided before the next tick")
        .isLessThan(TICK.toMillis() - 10_000);
  }

  private static Instant decidedAt(String api) {
    JsonPath json = given().get("/v1/autoscaler/apis/" + api).then().extract().jsonPath();
    String at = json.getString("decidedAt");
    return at == null ? null : Instant.parse(at);
  }
}
