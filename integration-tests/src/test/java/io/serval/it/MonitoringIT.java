package io.serval.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serval.it.client.ApiSpec;
import io.serval.it.client.Inputs;
import io.serval.it.client.Tensor;
import io.serval.it.client.V2Requests;
import io.serval.it.load.LoadGenerator;
import io.serval.it.monitoring.PrometheusServer;
import io.serval.it.platform.Platform;
import io.serval.it.platform.ServiceJars;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: a real Prometheus scrapes a running platform under a bounded load (REST and gRPC), and
 * every query of deploy/monitoring/serval-dashboard.json, read from the file with its variables
 * substituted, returns data; the label scheme holds end to end (HTTP status codes on REST, gRPC
 * codes on gRPC, replicas found through the operator's scrape targets).
 */
class MonitoringIT {
  static final String API = "watched";
  static final int WIDTH = 4;

  static Platform platform;
  static PrometheusServer prometheus;

  @BeforeAll
  static void start() {
    PrometheusServer.binary();
    platform = Platform.builder("MonitoringIT").autoscalerTick(Duration.ofSeconds(1)).start();
    platform
        .management()
        .deploy(
            ApiSpec.api(API)
                .model(platform.models().addFp32("watched.onnx", WIDTH))
                .traffic(2, 100, "30s")
                .autoscaling(
                    1, 2, 1, "targetInFlight: 8, window: 4s, panic: {window: 2s, threshold: 2.0}")
                .yaml());
    platform.management().awaitReady(API, Duration.ofSeconds(120));
    prometheus = PrometheusServer.start(platform);
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  /** The dashboard's queries as Grafana would send them with API = {@link #API}, all revisions. */
  static Map<String, String> dashboardQueries() throws IOException {
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(
                ServiceJars.repoDir().resolve("deploy/monitoring/serval-dashboard.json").toFile());
    Map<String, String> out = new TreeMap<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String expr =
            target
                .path("expr")
                .asText()
                .replace("$__rate_interval", "30s")
                .replace("$api", API)
                .replace("$revision", ".*");
        out.put(panel.path("title").asText() + " [" + target.path("refId").asText() + "]", expr);
      }
    }
    return out;
  }

  @Test
  void everyDashboardQueryReturnsDataFromTheRunningPlatformUnderLoad() throws IOException {
    Map<String, String> queries = dashboardQueries();
    assertThat(queries).hasSizeGreaterThan(10);
    List<Tensor> good = Inputs.add(WIDTH, 1);
    String json = V2Requests.json(good);
    // A request the model refuses (a wrong input name): 400 on REST, INVALID_ARGUMENT on gRPC.
    String badJson = json.replace("\"a\"", "\"nope\"");
    try (LoadGenerator rest =
            LoadGenerator.start(
                new LoadGenerator.Spec("rest", 2, 20, 2_000, Duration.ofSeconds(90)),
                LoadGenerator.http(() -> platform.http().inferJson(API, json)));
        LoadGenerator grpc =
            LoadGenerator.start(
                new LoadGenerator.Spec("grpc", 2, 20, 2_000, Duration.ofSeconds(90)),
                () ->
                    platform
                        .grpc()
                        .infer(V2Requests.grpc(API, good), Duration.ofSeconds(10))
                        .toOutcome())) {
      for (int i = 0; i < 5; i++) {
        platform.http().inferJson(API, badJson);
      }
      List<String> empty = new ArrayList<>();
      await("every dashboard query returns data")
          .atMost(Duration.ofSeconds(75))
          .pollInterval(Duration.ofSeconds(2))
          .untilAsserted(
              () -> {
                empty.clear();
                queries.forEach(
                    (panel, expr) -> {
                      if (prometheus.query(expr).isEmpty()) {
                        empty.add(panel + ": " + expr);
                      }
                    });
                assertThat(empty).as("dashboard queries without data").isEmpty();
              });

      // The label scheme, as Prometheus stored it.
      assertThat(
              prometheus.query(
                  "serval_router_requests_total{api=\""
                      + API
                      + "\",protocol=\"rest\",code=\"200\"}"))
          .isNotEmpty();
      assertThat(
              prometheus.query(
                  "serval_router_requests_total{api=\""
                      + API
                      + "\",protocol=\"rest\",code=\"400\"}"))
          .isNotEmpty();
      assertThat(
              prometheus.query(
                  "serval_router_requests_total{api=\""
                      + API
                      + "\",protocol=\"grpc\",code=\"OK\"}"))
          .isNotEmpty();
      assertThat(
              prometheus.query(
                  "serval_router_requests_total{code=\"INVALID_ARGUMENT\",protocol=\"rest\"}"))
          .as("no gRPC code names on REST traffic")
          .isEmpty();
      JsonNode replicas =
          prometheus.query(
              "serval_predictor_requests_total{api=\"" + API + "\",protocol=\"grpc\",code=\"OK\"}");
      assertThat(replicas).isNotEmpty();
      assertThat(replicas.get(0).path("metric").path("replica").asText())
          .as("replicas are found through /v1/scrape-targets, labelled with their id")
          .isNotEmpty();
      assertThat(prometheus.query("{exported_api!=\"\"}"))
          .as("the replicas' own api labels are kept as they are")
          .isEmpty();
    }
  }
}
