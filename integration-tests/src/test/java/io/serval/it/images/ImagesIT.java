package io.serval.it.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.serval.it.platform.FreePorts;
import io.serval.it.platform.ServiceJars;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service images that {@code ./mvnw -Pimages package} builds (docs/images.md), run in Podman
 * the way a cluster runs them: read-only root file system, the image's non-root user, /tmp and the
 * state directory as tmpfs volumes, ports published on 127.0.0.1 only. Each service must answer its
 * health endpoints; the predictor must serve a model mounted as a volume (a real inference) and
 * start from the AOT cache trained for the image. Every container and image the suite made is
 * removed by id at the end, also after a failure.
 *
 * <p>Runs where podman and the image tarballs are (.ci/run: {@code -Dserval.images.it=true}); a
 * plain {@code ./mvnw verify} skips it.
 */
@EnabledIfSystemProperty(named = "serval.images.it", matches = "true")
class ImagesIT {
  private static final String USER = "10001";
  private static final Duration READY = Duration.ofSeconds(120);
  private static final String TOKEN = "images-it-platform-token";
  private static final Map<String, Integer> HTTP_PORTS =
      Map.of("operator", 8090, "router", 8080, "autoscaler", 8070, "predictor", 8000);
  private static final String INFER_BODY =
      """
      {"inputs":[
       {"name":"input_ids","datatype":"INT64","shape":[1,8],"data":[101,7592,2088,2003,1037,3231,102,0]},
       {"name":"attention_mask","datatype":"INT64","shape":[1,8],"data":[1,1,1,1,1,1,1,0]},
       {"name":"token_type_ids","datatype":"INT64","shape":[1,8],"data":[0,0,0,0,0,0,0,0]}]}
      """;

  @TempDir static Path work;
  private static Podman podman;
  private static final Map<String, String> IMAGES = new java.util.HashMap<>();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void loadImages() throws IOException {
    assertThat(Podman.installed()).as("podman on the PATH (.ci/run installs it)").isTrue();
    podman = new Podman(work);
    for (String service : HTTP_PORTS.keySet()) {
      Path tarball =
          ServiceJars.repoDir().resolve(service + "-service/target/image/" + service + ".tar");
      assertThat(tarball).as("built by ./mvnw -Pimages package").isRegularFile();
      IMAGES.put(service, podman.load(tarball));
    }
  }

  @AfterAll
  static void removeEverything() throws IOException {
    if (podman != null) {
      podman.close();
    }
  }

  /**
   * The operator, the router and the autoscaler as one platform: the router and the autoscaler join
   * the operator's network namespace (as containers of one pod do) and reach its control plane on
   * localhost; the router is ready only once it has the operator's routes.
   */
  @Test
  void platformServicesAnswerTheirHealthEndpointsAsNonRootOnAReadOnlyRoot() throws Exception {
    Map<String, Integer> hostPorts = new java.util.LinkedHashMap<>();
    for (String service : List.of("operator", "router", "autoscaler")) {
      hostPorts.put(service, FreePorts.next());
    }
    List<String> operator = secured(hostPorts);
    operator.addAll(stateVolume());
    operator.add(IMAGES.get("operator"));
    String operatorContainer = podman.start(operator);
    Map<String, String> containers = new java.util.LinkedHashMap<>();
    containers.put("operator", operatorContainer);
    for (String service : List.of("router", "autoscaler")) {
      List<String> args = secured(Map.of());
      args.addAll(List.of("--network", "container:" + operatorContainer));
      args.addAll(stateVolume());
      args.add(IMAGES.get(service));
      containers.put(service, podman.start(args));
    }

    for (Map.Entry<String, String> c : containers.entrySet()) {
      String base = "http://127.0.0.1:" + hostPorts.get(c.getKey());
      awaitOk(c.getValue(), base + "/q/health/ready");
      assertThat(get(base + "/q/health/live").statusCode()).as(c.getKey()).isEqualTo(200);
      assertRunsAsNonRootOnAReadOnlyRoot(c.getValue());
    }
  }

  /** The state each service keeps goes to its volume, as in the chart; the platform's token. */
  private static List<String> stateVolume() {
    return List.of(
        "--tmpfs",
        "/var/lib/serval:rw,mode=1777",
        "-e",
        "SERVAL_OPERATOR_STATE_DIR=/var/lib/serval/state",
        "-e",
        "SERVAL_ROUTER_ASYNC_STORE_SQLITE_FILE=/var/lib/serval/async-requests.db",
        "-e",
        "SERVAL_PLATFORM_TOKEN=" + TOKEN);
  }

  @Test
  void predictorServesAMountedModelFromItsAotCache() throws Exception {
    Path models = Path.of(System.getProperty("serval.models.dir"));
    assertThat(models.resolve("all-minilm-l6-v2-q.onnx")).isRegularFile();
    int port = FreePorts.next();
    List<String> args = secured(Map.of("predictor", port));
    args.addAll(List.of("-v", models.toAbsolutePath() + ":/models:ro"));
    args.addAll(List.of("-e", "SERVAL_PREDICTOR_MODEL_URI=file:///models/all-minilm-l6-v2-q.onnx"));
    args.addAll(List.of("-e", "SERVAL_PREDICTOR_MODEL_NAME=minilm"));
    args.addAll(List.of("-e", "SERVAL_PREDICTOR_MODEL_FETCH_FILE_ROOTS=/models"));
    // the model cache volume
    args.addAll(List.of("--tmpfs", "/var/cache/serval:rw,mode=1777"));
    args.addAll(List.of("-e", "SERVAL_PREDICTOR_MODEL_CACHE_DIR=/var/cache/serval/models"));
    // which classes came from the AOT cache, logged to the tmpfs
    args.addAll(List.of("-e", "JAVA_TOOL_OPTIONS=-Xlog:class+load=info:file=/tmp/class-load.log"));
    args.add(IMAGES.get("predictor"));
    String container = podman.start(args);

    String base = "http://127.0.0.1:" + port;
    awaitOk(container, base + "/v2/health/ready");
    HttpResponse<String> infer =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/v2/models/minilm/infer"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(INFER_BODY))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(infer.statusCode()).as(infer.body()).isEqualTo(200);
    assertThat(infer.body()).contains("\"last_hidden_state\"").contains("[1,8,384]");

    // the application's own classes (class path: quarkus-run.jar, lib/boot) come from the cache
    // only when it matches the image's JVM and layout; a stale or foreign cache is ignored
    String classLoad = podman.run("exec", container, "cat", "/tmp/class-load.log").stdout();
    assertThat(classLoad)
        .contains("io.quarkus.bootstrap.runner.QuarkusEntryPoint source: shared objects file");
    assertRunsAsNonRootOnAReadOnlyRoot(container);
  }

  /**
   * podman run arguments of every container: non-root, read-only root, /tmp a tmpfs, the given
   * services' HTTP ports published on 127.0.0.1 only.
   */
  private static List<String> secured(Map<String, Integer> hostPorts) {
    List<String> args =
        new ArrayList<>(
            List.of("--read-only", "--user", USER + ":" + USER, "--tmpfs", "/tmp:rw,mode=1777"));
    hostPorts.forEach(
        (service, port) ->
            args.addAll(List.of("-p", "127.0.0.1:" + port + ":" + HTTP_PORTS.get(service))));
    return args;
  }

  private void assertRunsAsNonRootOnAReadOnlyRoot(String container) throws IOException {
    assertThat(podman.run("exec", container, "id", "-u").stdout().trim()).isEqualTo(USER);
    // the JVM itself (PID 1), not only a shell exec'd beside it
    // (serval is uid 10001 in the image's /etc/passwd)
    assertThat(podman.run("top", container, "user", "args").stdout())
        .containsPattern("(?m)^serval +/opt/java/bin/java ");
    Podman.Result write = podman.tryRun("exec", container, "touch", "/opt/serval/written");
    assertThat(write.exitCode()).isNotZero();
    assertThat(write.stderr()).contains("Read-only file system");
    assertThat(podman.run("exec", container, "touch", "/tmp/written").exitCode()).isZero();
  }

  private static void awaitOk(String container, String url) {
    await()
        .atMost(READY)
        .pollInterval(Duration.ofMillis(250))
        .failFast(
            "the container exited: " + container,
            () ->
                !podman
                    .run("inspect", "--format", "{{.State.Running}}", container)
                    .stdout()
                    .trim()
                    .equals("true"))
        .ignoreExceptionsInstanceOf(IOException.class)
        .until(() -> get(url).statusCode() == 200);
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
