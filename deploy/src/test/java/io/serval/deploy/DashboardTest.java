package io.serval.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * deploy/monitoring/serval-dashboard.json: valid JSON whose every query is valid PromQL (promtool
 * checks them as recording rules, with the dashboard's variables substituted) and covers what the
 * issue asks a Serval dashboard to show. That each query returns data from a running platform is
 * integration-tests' MonitoringIT.
 */
class DashboardTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<String> queries() throws IOException {
    JsonNode dashboard =
        JSON.readTree(Promtool.MONITORING.resolve("serval-dashboard.json").toFile());
    List<String> out = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        out.add(target.path("expr").asText());
      }
    }
    return out;
  }

  static String substituted(String expr) {
    return expr.replace("$__rate_interval", "1m").replace("$api", ".*").replace("$revision", ".*");
  }

  @Test
  void everyQueryIsValidPromql() throws IOException {
    List<String> queries = queries();
    assertThat(queries).hasSizeGreaterThan(10).allSatisfy(q -> assertThat(q).isNotBlank());
    ObjectNode rules = JSON.createObjectNode();
    ArrayNode list =
        rules.putArray("groups").addObject().put("name", "dashboard").putArray("rules");
    for (int i = 0; i < queries.size(); i++) {
      list.addObject()
          .put("record", "dashboard_query_" + i)
          .put("expr", substituted(queries.get(i)));
    }
    Path file = Files.createTempFile("dashboard-queries", ".yml");
    try {
      // JSON is YAML: promtool reads it as a rules file.
      JSON.writeValue(file.toFile(), rules);
      assertThat(Promtool.run("check", "rules", file.toString()))
          .contains("SUCCESS: " + queries.size() + " rules found");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void showsTrafficErrorsLatencyQueuesBatchesReplicasAutoscalingAndRollouts() throws IOException {
    String all = String.join("\n", queries());
    assertThat(all)
        .contains("serval_router_requests_total")
        .contains("serval_router_request_duration_seconds_bucket")
        .contains("serval_predictor_request_duration_seconds_bucket")
        .contains("serval_router_queue_length")
        .contains("serval_predictor_queue_depth")
        .contains("serval_predictor_batch_size")
        .contains("serval_operator_desired_replicas")
        .contains("serval_operator_ready_replicas")
        .contains("serval_autoscaler_desired_replicas")
        .contains("serval_operator_traffic_percent")
        .contains("serval_operator_rollout_in_progress");
    assertThat(all).contains("by (api, revision");
  }
}
