package io.serval.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The traffic columns of {@code serval get}, from the router's {@code GET /v1/stats}: request rate,
 * 2XX/4XX/5XX counts and p50/p99 latency per API over the router's window (the last 5 minutes).
 * When the router could not be read every cell is "-" and {@link #note()} says why.
 */
public final class TrafficColumns {
  public static final List<String> HEADERS = List.of("REQ/S", "2XX", "4XX", "5XX", "P50", "P99");
  private static final String NONE = "-";

  private final boolean available;
  private final Map<String, JsonNode> byApi;
  private final Optional<String> note;

  private TrafficColumns(boolean available, Map<String, JsonNode> byApi, Optional<String> note) {
    this.available = available;
    this.byApi = byApi;
    this.note = note;
  }

  /** The router's answer to GET /v1/stats. */
  public static TrafficColumns of(JsonNode stats) {
    Map<String, JsonNode> byApi = new HashMap<>();
    for (JsonNode a : stats.path("apis")) {
      byApi.put(a.path("api").asText(), a);
    }
    String window = stats.path("window").asText("");
    return new TrafficColumns(
        true,
        byApi,
        Optional.of(
            "traffic: the last "
                + (window.isEmpty() ? "minutes" : window)
                + " in the router (latency percentiles are bin upper bounds)"));
  }

  /** No numbers: every cell "-", with the reason in the note. */
  public static TrafficColumns unavailable(String why) {
    return new TrafficColumns(false, Map.of(), Optional.of("traffic columns unavailable: " + why));
  }

  /** A line to print under the table. */
  public Optional<String> note() {
    return note;
  }

  /** The cells of one API, in {@link #HEADERS} order. */
  public List<String> cells(String api) {
    if (!available) {
      return List.of(NONE, NONE, NONE, NONE, NONE, NONE);
    }
    JsonNode a = byApi.get(api);
    if (a == null) {
      // The router is up and this API had no request in the window.
      return List.of("0", "0", "0", "0", NONE, NONE);
    }
    return List.of(
        rate(a.path("requestsPerSecond").asDouble()),
        a.path("status2xx").asText("0"),
        a.path("status4xx").asText("0"),
        a.path("status5xx").asText("0"),
        millis(a.path("p50Millis")),
        millis(a.path("p99Millis")));
  }

  static String rate(double perSecond) {
    if (perSecond == 0) {
      return "0";
    }
    return perSecond >= 100
        ? String.format(Locale.ROOT, "%.0f", perSecond)
        : String.format(Locale.ROOT, "%.2f", perSecond);
  }

  static String millis(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return NONE;
    }
    double ms = v.asDouble();
    if (ms >= 1000) {
      return String.format(Locale.ROOT, "%.1fs", ms / 1000);
    }
    if (ms >= 10) {
      return String.format(Locale.ROOT, "%.0fms", ms);
    }
    return String.format(Locale.ROOT, "%.1fms", ms);
  }
}
