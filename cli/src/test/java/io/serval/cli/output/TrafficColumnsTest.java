package io.serval.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.serval.cli.client.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficColumnsTest {
  private static final JsonNode STATS =
      Json.parse(
          """
          {"window": "5m", "windowSeconds": 300, "apis": [
            {"api": "minilm", "requests": 130, "requestsPerSecond": 0.4333,
             "status2xx": 120, "status4xx": 7, "status5xx": 3,
             "meanMillis": 14.2, "p50Millis": 11.3, "p99Millis": 1234.5}]}
          """);

  private static JsonNode api(String name) {
    return Json.parse(
        """
        {"metadata": {"name": "%s"}, "status": {}}
        """
            .formatted(name));
  }

  @Test
  void showsRateCountsAndPercentilesPerApiAfterTheOtherColumns() {
    Table t =
        ResourceTables.apis(
            List.of(api("minilm"), api("idle")), Instant.now(), TrafficColumns.of(STATS));
    List<String> lines = t.lines();
    assertThat(lines.get(0))
        .containsSubsequence(
            "REALTIME API", "LAST UPDATE", "REQ/S", "2XX", "4XX", "5XX", "P50", "P99");
    assertThat(lines.get(1)).matches("minilm .*\\s0\\.43\\s+120\\s+7\\s+3\\s+11ms\\s+1\\.2s\\s*");
    // An API the router saw no request for in the window.
    assertThat(lines.get(2)).matches("idle .*\\s0\\s+0\\s+0\\s+0\\s+-\\s+-\\s*");
    assertThat(TrafficColumns.of(STATS).note())
        .hasValueSatisfying(n -> assertThat(n).contains("5m"));
  }

  @Test
  void unreadableRouterGivesDashesAndTheReason() {
    TrafficColumns none = TrafficColumns.unavailable("cannot reach the router at http://x:1");
    assertThat(none.cells("minilm")).containsOnly("-");
    assertThat(none.note())
        .hasValue("traffic columns unavailable: cannot reach the router at http://x:1");
  }

  @Test
  void formatsSmallAndLargeNumbers() {
    assertThat(TrafficColumns.rate(0)).isEqualTo("0");
    assertThat(TrafficColumns.rate(1234.4)).isEqualTo("1234");
    assertThat(TrafficColumns.millis(Json.parse("0.25"))).isEqualTo("0.3ms");
    assertThat(TrafficColumns.millis(Json.parse("null"))).isEqualTo("-");
  }
}
