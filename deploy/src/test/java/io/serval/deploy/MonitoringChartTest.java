package io.serval.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.serval.operator.runtime.kubernetes.desired.RevisionRef;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prometheus scraping covers the predictor pods the operator creates, not only the platform. */
class MonitoringChartTest {

  @Test
  void thePodMonitorSelectsThePredictorPodsTheOperatorCreates() {
    Manifests on = Helm.template("--set", "serviceMonitor.enabled=true");
    JsonNode pm = on.get("PodMonitor", "serval-predictors");
    KubernetesSchemas.check(pm);

    Map<String, String> selector = new HashMap<>();
    pm.path("spec")
        .path("selector")
        .path("matchLabels")
        .properties()
        .forEach(e -> selector.put(e.getKey(), e.getValue().asText()));
    assertThat(selector).isNotEmpty();
    // the labels the operator's desired-state builder puts on a revision's pods
    Map<String, String> podLabels = new RevisionRef("minilm", "r1").labels();
    assertThat(podLabels).containsAllEntriesOf(selector);
    // and nothing the platform's own pods carry: those are the ServiceMonitor's
    assertThat(selector.get("app.kubernetes.io/name")).isEqualTo("serval-predictor");

    assertThat(pm.path("spec").path("namespaceSelector").path("matchNames").toString())
        .isEqualTo("[\"serving\"]");
    JsonNode endpoint = pm.path("spec").path("podMetricsEndpoints").get(0);
    assertThat(endpoint.path("port").asText()).isEqualTo("http");
    assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
  }

  @Test
  void thePodMonitorFollowsTheServiceMonitorSwitchAndLabels() {
    assertThat(Helm.template().ofKind("PodMonitor")).isEmpty();
    Manifests on =
        Helm.template(
            "--set", "serviceMonitor.enabled=true",
            "--set", "serviceMonitor.labels.release=prometheus",
            "--set", "serviceMonitor.interval=15s");
    JsonNode pm = on.get("PodMonitor", "serval-predictors");
    assertThat(pm.path("metadata").path("labels").path("release").asText()).isEqualTo("prometheus");
    assertThat(pm.path("spec").path("podMetricsEndpoints").get(0).path("interval").asText())
        .isEqualTo("15s");
    assertThat(on.ofKind("ServiceMonitor")).hasSize(1);
  }
}
