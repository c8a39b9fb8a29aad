package io.serval.it.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serval.it.platform.FreePorts;
import io.serval.it.platform.Platform;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus (Debian's {@code prometheus}) on a free loopback port, scraping a {@link
 * Platform} every second with the configuration of deploy/monitoring/prometheus-local.yml (the
 * router, operator and autoscaler by their ports; replicas found through the operator's
 * /v1/scrape-targets with its read-only token). Its data lives in a temporary directory; {@link
 * #close()} stops the process by its PID and deletes nothing the platform's run directory does not
 * keep.
 */
public final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int port;

  private PrometheusServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * The prometheus binary; fails the test where {@code CI} is set and it is missing, skips it (with
   * the reason printed) elsewhere.
   */
  public static Path binary() {
    Optional<Path> found =
        Optional.ofNullable(System.getProperty("serval.prometheus"))
            .map(Path::of)
            .or(() -> onPath());
    if (found.isPresent() && Files.isExecutable(found.get())) {
      return found.get();
    }
    String why =
        "prometheus is not installed (apt-get install prometheus, or -Dserval.prometheus=PATH)";
    if (System.getenv("CI") != null) {
      Assertions.fail(why + ", and CI is set");
    }
    System.out.println("SKIPPED: " + why);
    Assumptions.abort(why);
    return null;
  }

  private static Optional<Path> onPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, "prometheus");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Starts Prometheus against the platform; returns once it answers ready. */
  public static PrometheusServer start(Platform platform) {
    Path binary = binary();
    int port = FreePorts.next();
    try {
      Path dir = Files.createDirectories(platform.dir().resolve("prometheus"));
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, config(platform));
      Process p =
          new ProcessBuilder(
                  binary.toString(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + Files.createTempDirectory(dir, "tsdb"),
                  "--web.listen-address=127.0.0.1:" + port,
                  "--log.level=warn")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      PrometheusServer server = new PrometheusServer(p, port);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String config(Platform platform) {
    return """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: serval-router
            metrics_path: /q/metrics
            static_configs: [{targets: ["127.0.0.1:%d"]}]
          - job_name: serval-operator
            metrics_path: /q/metrics
            static_configs: [{targets: ["127.0.0.1:%d"]}]
          - job_name: serval-autoscaler
            metrics_path: /q/metrics
            static_configs: [{targets: ["127.0.0.1:%d"]}]
          - job_name: serval-predictor
            metrics_path: /q/metrics
            honor_labels: true
            http_sd_configs:
              - url: http://127.0.0.1:%d/v1/scrape-targets
                refresh_interval: 2s
                authorization:
                  type: Bearer
                  credentials_file: %s
        """
        .formatted(
            platform.routerHttpPort(),
            platform.operatorHttpPort(),
            platform.autoscalerHttpPort(),
            platform.operatorHttpPort(),
            platform.readTokenFile());
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited with " + process.exitValue());
      }
      try {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(base() + "/-/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        process.waitFor(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("prometheus was not ready within 60s");
  }

  public String base() {
    return "http://127.0.0.1:" + port;
  }

  /** An instant query through /api/v1/query: the {@code data.result} array. */
  public JsonNode query(String promql) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          base()
                              + "/api/v1/query?query="
                              + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(r.body());
      if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
        throw new IllegalStateException("query " + promql + " failed: " + r.body());
      }
      return body.path("data").path("result");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops Prometheus by its PID: TERM, then KILL if it has not ended in 10 s. */
  @Override
  public void close() {
    ProcessHandle h = process.toHandle();
    h.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        h.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
