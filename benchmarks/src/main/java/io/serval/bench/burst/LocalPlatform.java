package io.serval.bench.burst;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serval.bench.router.ChildProcess;
import io.serval.bench.router.StartedProcesses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The platform as {@code serval up} starts it: the operator (local runtime, which starts the
 * predictor replicas), the autoscaler and the router, each a JVM on loopback ports of its own, with
 * a platform token file and a state directory under the run's folder. Stopped by PID; replicas the
 * operator left behind are stopped by the PIDs it recorded.
 */
final class LocalPlatform implements AutoCloseable {
  static final String HOST = "127.0.0.1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REPLICA_STOP_GRACE = Duration.ofSeconds(10);

  /** The jars of the four services. */
  record Jars(Path operator, Path autoscaler, Path router, Path predictor) {}

  /**
   * The settings that decide how fast a burst is answered.
   *
   * @param autoscalerTick the autoscaler's tick, also told to the operator (windows are multiples)
   * @param operatorTick how often the operator's local runtime reconciles and probes its replicas
   * @param panicOnReport serval.autoscaler.panic-on-report: decide a panic when the report arrives
   * @param replicaJvmArgs the replicas' JVM options, or empty for the operator's default
   */
  record Settings(
      Duration autoscalerTick,
      Duration operatorTick,
      boolean panicOnReport,
      Optional<String> replicaJvmArgs) {}

  private final Path dir;
  private final Path stateDir;
  private final Path tokenFile;
  private final int operatorHttp;
  private final int operatorGrpc;
  private final int autoscalerHttp;
  private final int autoscalerGrpc;
  private final int routerHttp;
  private final int routerGrpc;
  private final StartedProcesses started = new StartedProcesses();
  private volatile long operatorPid = -1;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private LocalPlatform(Path dir, int portBase) {
    this.dir = dir;
    this.stateDir = dir.resolve("state");
    this.tokenFile = dir.resolve("platform-token");
    this.operatorHttp = portBase;
    this.operatorGrpc = portBase + 1;
    this.autoscalerHttp = portBase + 2;
    this.autoscalerGrpc = portBase + 3;
    this.routerHttp = portBase + 4;
    this.routerGrpc = portBase + 5;
  }

  /**
   * Starts the three services and waits until each is ready.
   *
   * @param modelRoots directories the replicas may load {@code file:} models from
   */
  static LocalPlatform start(
      Path dir, int portBase, Jars jars, Settings settings, List<Path> modelRoots, Duration timeout)
      throws IOException, InterruptedException {
    LocalPlatform p = new LocalPlatform(dir, portBase);
    Runtime.getRuntime().addShutdownHook(new Thread(p::close, "stop-platform"));
    try {
      p.startAll(jars, settings, modelRoots, timeout);
    } catch (IOException | InterruptedException | RuntimeException e) {
      p.close();
      throw e;
    }
    return p;
  }

  private void startAll(Jars jars, Settings s, List<Path> modelRoots, Duration timeout)
      throws IOException, InterruptedException {
    for (int port = operatorHttp; port <= routerGrpc; port++) {
      requireFree(port);
    }
    Files.createDirectories(dir.resolve("work"));
    Files.writeString(
        tokenFile,
        UUID.randomUUID() + "-" + UUID.randomUUID(),
        StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));

    Map<String, String> operator = common(operatorHttp, operatorGrpc);
    operator.put("serval.operator.runtime", "local");
    operator.put("serval.operator.state-dir", stateDir.toString());
    operator.put("serval.operator.autoscaler-tick", s.autoscalerTick().toSeconds() + "s");
    operator.put("serval.operator.router-url", "http://" + HOST + ":" + routerHttp);
    operator.put("serval.operator.local.predictor-jar", jars.predictor().toString());
    operator.put("serval.operator.local.working-dir", dir.resolve("work").toString());
    operator.put(
        "serval.operator.local.model-roots",
        String.join(",", modelRoots.stream().map(Path::toString).toList()));
    operator.put("serval.operator.local.tick", s.operatorTick().toMillis() + "ms");
    s.replicaJvmArgs().ifPresent(a -> operator.put("serval.operator.local.jvm-args", a));

    Map<String, String> autoscaler = common(autoscalerHttp, autoscalerGrpc);
    autoscaler.put("serval.autoscaler.tick", s.autoscalerTick().toSeconds() + "s");
    autoscaler.put("serval.autoscaler.operator-address", HOST + ":" + operatorGrpc);
    autoscaler.put("serval.autoscaler.panic-on-report", Boolean.toString(s.panicOnReport()));

    Map<String, String> router = common(routerHttp, routerGrpc);
    router.put("serval.router.operator-address", HOST + ":" + operatorGrpc);
    router.put("serval.router.autoscaler-address", HOST + ":" + autoscalerGrpc);

    ChildProcess op = started.track(service("operator", jars.operator(), operator));
    operatorPid = op.pid();
    ChildProcess as = started.track(service("autoscaler", jars.autoscaler(), autoscaler));
    ChildProcess rt = started.track(service("router", jars.router(), router));
    op.awaitReady(readyUrl(operatorHttp), timeout);
    as.awaitReady(readyUrl(autoscalerHttp), timeout);
    rt.awaitReady(readyUrl(routerHttp), timeout);
  }

  private Map<String, String> common(int httpPort, int grpcPort) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("serval.platform.token-file", tokenFile.toString());
    p.put("quarkus.http.host", HOST);
    p.put("quarkus.http.port", Integer.toString(httpPort));
    p.put("quarkus.grpc.server.host", HOST);
    p.put("quarkus.grpc.server.port", Integer.toString(grpcPort));
    return p;
  }

  private ChildProcess service(String name, Path jar, Map<String, String> properties)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-jar");
    command.add(jar.toString());
    return ChildProcess.start(name, command, dir.resolve("logs").resolve(name + ".log"));
  }

  private static URI readyUrl(int port) {
    return URI.create("http://" + HOST + ":" + port + "/q/health/ready");
  }

  private static void requireFree(int port) throws IOException {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new IOException("port " + port + " on " + HOST + " is in use; pick --port-base", e);
    }
  }

  /** POST /v1/deploy with the operator's token; fails on anything but 200. */
  void deploy(String yaml) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(operatorUrl() + "/v1/deploy"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + operatorToken())
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("deploy answered " + r.statusCode() + ": " + r.body());
    }
  }

  /** Waits until the operator counts {@code replicas} ready replicas of {@code api}. */
  void awaitReady(String api, int replicas, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(operatorUrl() + "/v1/apis/" + api))
                  .timeout(Duration.ofSeconds(5))
                  .header("Authorization", "Bearer " + operatorToken())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        JsonNode status = JSON.readTree(r.body()).path("status");
        last = status.toString();
        if (status.path("replicas").path("ready").asInt() >= replicas) {
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new IOException(api + " not ready within " + timeout + ": " + last);
  }

  /** The operator's management token, which it writes into its state directory at start. */
  String operatorToken() {
    try {
      Path f = stateDir.resolve("token");
      return Files.isRegularFile(f) ? Files.readString(f).trim() : "";
    } catch (IOException e) {
      return "";
    }
  }

  private String operatorUrl() {
    return "http://" + HOST + ":" + operatorHttp;
  }

  /** The ids of the API's replicas the operator has recorded. */
  Set<String> replicaIds(String api) throws IOException {
    Path apiDir = stateDir.resolve("replicas").resolve(api);
    Set<String> out = new HashSet<>();
    if (!Files.isDirectory(apiDir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(apiDir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        out.add(JSON.readTree(f.toFile()).path("id").asText());
      }
    }
    return out;
  }

  Path stateDir() {
    return stateDir;
  }

  int routerHttp() {
    return routerHttp;
  }

  int operatorHttp() {
    return operatorHttp;
  }

  int autoscalerHttp() {
    return autoscalerHttp;
  }

  /**
   * Stops router, autoscaler and operator (SIGTERM, then SIGKILL; the operator stops its replicas
   * on a clean stop), then any replica it recorded that is still alive, by its PID.
   */
  @Override
  public synchronized void close() {
    // Taken before the stop: a handle remembers its process's start time, so a PID reused later
    // is never mistaken for a replica.
    List<ProcessHandle> replicas = new ArrayList<>(replicaHandles());
    if (operatorPid > 0) {
      ProcessHandle.of(operatorPid).ifPresent(op -> op.descendants().forEach(replicas::add));
    }
    started.stopAll();
    for (ProcessHandle h : replicas) {
      if (!h.isAlive()) {
        continue;
      }
      System.err.println("WARN replica pid " + h.pid() + " outlived the operator; stopping it");
      h.destroy();
      try {
        h.onExit().get(REPLICA_STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        h.destroyForcibly();
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        h.destroyForcibly();
      }
    }
    http.close();
  }

  /** Every live replica the operator recorded (any API). */
  private List<ProcessHandle> replicaHandles() {
    Path replicas = stateDir.resolve("replicas");
    if (!Files.isDirectory(replicas)) {
      return List.of();
    }
    List<ProcessHandle> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(replicas, 2)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        try {
          ProcessHandle.of(JSON.readTree(f.toFile()).path("pid").asLong()).ifPresent(out::add);
        } catch (IOException e) {
          // removed while we looked: that replica is gone
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }
}
