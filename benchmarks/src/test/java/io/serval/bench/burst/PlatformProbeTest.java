package io.serval.bench.burst;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PlatformProbeTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsTheAutoscalersDecisionView() throws Exception {
    // As GET /v1/autoscaler/apis/{name} answers (docs/autoscaling.md, "Explaining decisions").
    String view =
        """
        {"api": "minilm", "decidedAt": "2026-11-22T20:04:31.002Z",
         "inputs": {"currentReplicas": 1, "readyReplicas": 1,
                    "window": {"length": "PT10S", "averageInFlight": 3.1, "seconds": 10, "routers": 1},
                    "panicWindow": {"length": "PT1S", "averageInFlight": 7.6, "seconds": 1, "routers": 1}},
         "desiredReplicas": 2, "panic": true,
         "delivery": {"state": "DELIVERED", "replicas": 2, "appliedReplicas": 2, "failedAttempts": 0,
                      "lastError": null, "at": "2026-11-22T20:04:31.010Z"}}
        """;

    Decision d = PlatformProbe.decision(JSON.readTree(view)).orElseThrow();

    assertThat(d.decidedAtMillis())
        .isEqualTo(Instant.parse("2026-11-22T20:04:31.002Z").toEpochMilli());
    assertThat(d.panic()).isTrue();
    assertThat(d.desired()).isEqualTo(2);
    assertThat(d.current()).isEqualTo(1);
    assertThat(d.panicAverage()).isEqualTo(7.6);
    assertThat(d.deliveryState()).isEqualTo("DELIVERED");
    assertThat(d.deliveredReplicas()).isEqualTo(2);
    assertThat(d.deliveryAtMillis())
        .isEqualTo(Instant.parse("2026-11-22T20:04:31.010Z").toEpochMilli());
  }

  @Test
  void aDecisionWithoutSamplesOrDeliveryHasNaNAndMinusOne() throws Exception {
    String view =
        """
        {"api": "minilm", "decidedAt": 1764000000.5,
         "inputs": {"currentReplicas": 1, "panicWindow": {"averageInFlight": null}},
         "desiredReplicas": 1, "panic": false, "delivery": null}
        """;

    Decision d = PlatformProbe.decision(JSON.readTree(view)).orElseThrow();

    assertThat(d.decidedAtMillis()).isEqualTo(1_764_000_000_500L);
    assertThat(d.panicAverage()).isNaN();
    assertThat(d.deliveryState()).isEmpty();
    assertThat(d.deliveryAtMillis()).isEqualTo(-1);
  }

  @Test
  void noDecisionYetIsEmpty() throws Exception {
    assertThat(PlatformProbe.decision(JSON.readTree("{\"api\": \"minilm\"}"))).isEmpty();
  }

  @Test
  void readsTheLaunchInstantFromTheOperatorsFirstLogLine() {
    assertThat(
            PlatformProbe.launchInstant(
                "--- serval: starting replica minilm-82ed314d18-1 (revision 82ed314d18) at"
                    + " 2026-12-05T03:19:10.236624226Z"))
        .hasValue(Instant.parse("2026-12-05T03:19:10.236Z").toEpochMilli());
    assertThat(PlatformProbe.launchInstant("2026-12-05 03:19:17.709 WARN something")).isEmpty();
    assertThat(PlatformProbe.launchInstant("--- serval: starting replica x at soon")).isEmpty();
    assertThat(PlatformProbe.launchInstant(null)).isEmpty();
  }
}
