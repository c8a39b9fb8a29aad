package io.serval.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The tables of {@code serval get}: one per kind. */
public final class ResourceTables {

  private ResourceTables() {}

  private static final List<String> API_HEADERS =
      List.of(
          "REALTIME API",
          "STATUS",
          "REPLICAS",
          "UP-TO-DATE",
          "REVISIONS (TRAFFIC)",
          "ENDPOINT",
          "LAST UPDATE");

  public static Table apis(List<JsonNode> views, Instant now) {
    Table t = new Table(API_HEADERS.toArray(String[]::new));
    for (JsonNode v : views) {
      t.row(apiCells(v, now).toArray(String[]::new));
    }
    return t;
  }

  /** The API table with the router's traffic columns after the others (as Cortex's get had). */
  public static Table apis(List<JsonNode> views, Instant now, TrafficColumns traffic) {
    List<String> headers = new ArrayList<>(API_HEADERS);
    headers.addAll(TrafficColumns.HEADERS);
    Table t = new Table(headers.toArray(String[]::new));
    for (JsonNode v : views) {
      List<String> cells = apiCells(v, now);
      cells.addAll(traffic.cells(v.path("metadata").path("name").asText()));
      t.row(cells.toArray(String[]::new));
    }
    return t;
  }

  private static List<String> apiCells(JsonNode v, Instant now) {
    return new ArrayList<>(
        List.of(
            v.path("metadata").path("name").asText(),
            ResourceSummary.apiStatus(v),
            ResourceSummary.replicas(v),
            ResourceSummary.upToDate(v),
            ResourceSummary.revisions(v),
            ResourceSummary.endpoint(v),
            Ages.since(ResourceSummary.updated(v), now)));
  }

  public static Table splitters(List<JsonNode> views, Instant now) {
    Table t = new Table("TRAFFIC SPLITTER", "STATUS", "APIS (WEIGHT)", "ENDPOINT", "LAST UPDATE");
    for (JsonNode v : views) {
      t.row(
          v.path("metadata").path("name").asText(),
          ResourceSummary.splitterStatus(v),
          ResourceSummary.backends(v),
          ResourceSummary.endpoint(v),
          Ages.since(ResourceSummary.updated(v), now));
    }
    return t;
  }
}
