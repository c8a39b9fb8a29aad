package io.serval.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * deploy/monitoring/serval-alerts.yml with a real promtool: the rules load, their unit tests pass,
 * and every alert has a test where it fires and one where it does not.
 */
class AlertRulesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void rulesPassPromtoolCheck() {
    assertThat(Promtool.run("check", "rules", "serval-alerts.yml")).contains("SUCCESS");
  }

  @Test
  void ruleUnitTestsPass() {
    assertThat(Promtool.run("test", "rules", "serval-alerts.test.yml")).contains("SUCCESS");
  }

  @Test
  void everyAlertIsTestedFiringAndNotFiring() throws IOException {
    List<String> alerts = new ArrayList<>();
    for (JsonNode group : read("serval-alerts.yml").path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          alerts.add(rule.get("alert").asText());
        }
      }
    }
    Set<String> fires = new HashSet<>();
    Set<String> quiet = new HashSet<>();
    for (JsonNode test : read("serval-alerts.test.yml").path("tests")) {
      for (JsonNode t : test.path("alert_rule_test")) {
        String name = t.path("alertname").asText();
        (t.path("exp_alerts").isEmpty() ? quiet : fires).add(name);
      }
    }
    assertThat(alerts)
        .contains(
            "ServalHighErrorRate",
            "ServalLatencyP99OverTarget",
            "ServalQueueSaturated",
            "ServalReplicasNotReady",
            "ServalReplicaCrashLooping",
            "ServalRolloutStuck");
    assertThat(fires).as("alerts tested firing").containsAll(alerts);
    assertThat(quiet).as("alerts tested not firing").containsAll(alerts);
  }

  private static JsonNode read(String file) throws IOException {
    return YAML.readTree(Promtool.MONITORING.resolve(file).toFile());
  }
}
