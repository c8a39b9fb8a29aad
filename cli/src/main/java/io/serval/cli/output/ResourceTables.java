package io.serval.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** The tables of {@code serval get}: one per kind. */
public final class ResourceTables {

  private ResourceTables() {}

  public static Table apis(List<JsonNode> views, Instant now) {
    Table t =
        new Table(
            "REALTIME API",
            "STATUS",
            "REPLICAS",
            "UP-TO-DATE",
            "REVISIONS (TRAFFIC)",
            "ENDPOINT",
            "LAST UPDATE");
    for (JsonNode v : views) {
      t.row(
          v.path("metadata").path("name").asText(),
          ResourceSummary.apiStatus(v),
          ResourceSummary.replicas(v),
          ResourceSummary.upToDate(v),
          ResourceSummary.revisions(v),
          ResourceSummary.endpoint(v),
          Ages.since(ResourceSummary.updated(v), now));
    }
    return t;
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
