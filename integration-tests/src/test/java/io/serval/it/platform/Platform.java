package io.serval.it.platform;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serval.it.client.ManagementClient;
import io.serval.it.client.V2GrpcClient;
import io.serval.it.client.V2HttpClient;
import io.serval.it.models.ModelFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole platform for one test class: the packaged operator (local runtime), router and
 * autoscaler as separate JVMs on free loopback ports, with a state directory of their own.
 * Predictor replicas are started by the operator. {@link #close()} stops everything and reports any
 * process left alive.
 */
public final class Platform implements AutoCloseable {

  /** Cold JVM starts on a busy 2-core machine can take this long. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private static final Duration STOP_GRACE = Duration.ofSeconds(15);
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** JVM options of our services and of the replicas: small heaps, one GC thread. */
  static final List<String> SERVICE_JVM = List.of("-Xmx384m", "-XX:+UseSerialGC");

  static final String REPLICA_JVM =
      "--enable-native-access=ALL-UNNAMED,--add-opens=java.base/java.lang=ALL-UNNAMED,"
          + "-Xmx384m,-XX:+UseSerialGC,-XX:TieredStopAtLevel=1";

  private final Builder settings;
  private final Path dir;
  private final Path stateDir;
  private final Path platformToken;
  private final String marker;
  private final ModelFiles models;
  private final int operatorHttp = FreePorts.next();
  private final int operatorGrpc = FreePorts.next();
  private final int routerHttp = FreePorts.next();
  private final int routerGrpc = FreePorts.next();
  private final int autoscalerHttp = FreePorts.next();
  private final int autoscalerGrpc = FreePorts.next();
  private ServiceProcess operator;
  private ServiceProcess router;
  private ServiceProcess autoscaler;
  private final List<ServiceProcess> otherOperators = new ArrayList<>();
  private final List<Integer> otherPorts = new ArrayList<>();
  private ManagementClient management;
  private V2HttpClient http;
  private V2GrpcClient grpc;

  private Platform(Builder b) {
    this.settings = b;
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss-SSS"));
    this.dir =
        ServiceJars.repoDir()
            .resolve("integration-tests/target/it-runs")
            .resolve(b.name + "-" + stamp)
            .toAbsolutePath();
    this.stateDir = dir.resolve("state");
    this.platformToken = dir.resolve("platform-token");
    this.marker = dir.toString();
    this.models = new ModelFiles(dir.resolve("models"));
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  private Platform start() {
    try {
      Files.createDirectories(dir.resolve("work"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ProcessTree.trackMarker(marker);
    writePlatformToken();
    operator = startOperator();
    autoscaler =
        ServiceProcess.start(
            "autoscaler",
            ServiceJars.autoscaler(),
            withTiered(SERVICE_JVM),
            autoscalerProperties(),
            dir.resolve("work"),
            dir.resolve("logs/autoscaler.log"));
    router =
        ServiceProcess.start(
            "router",
            ServiceJars.router(),
            SERVICE_JVM,
            routerProperties(),
            dir.resolve("work"),
            dir.resolve("logs/router.log"));
    CompletableFuture.allOf(
            CompletableFuture.runAsync(() -> operator.awaitReady(START_TIMEOUT)),
            CompletableFuture.runAsync(() -> autoscaler.awaitReady(START_TIMEOUT)),
            CompletableFuture.runAsync(() -> router.awaitReady(START_TIMEOUT)))
        .join();
    management = new ManagementClient(operatorHttp, this::token);
    http = new V2HttpClient(routerHttp, settings.clientApiKey());
    grpc = new V2GrpcClient(routerGrpc, settings.clientApiKey());
    System.out.printf(
        "[platform %s] operator :%d/:%d (pid %d), router :%d/:%d (pid %d), autoscaler :%d/:%d"
            + " (pid %d), dir %s%n",
        settings.name,
        operatorHttp,
        operatorGrpc,
        operator.pid(),
        routerHttp,
        routerGrpc,
        router.pid(),
        autoscalerHttp,
        autoscalerGrpc,
        autoscaler.pid(),
        dir);
    return this;
  }

  /**
   * The platform token every service requires on control-plane calls, as {@code serval up} writes
   * it: random, owner-only.
   */
  private void writePlatformToken() {
    try {
      Files.writeString(
          platformToken,
          UUID.randomUUID() + "-" + UUID.randomUUID(),
          StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      Files.setPosixFilePermissions(platformToken, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The platform token, for tests that call the control plane themselves. */
  public String platformToken() {
    try {
      return Files.readString(platformToken).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ServiceProcess startOperator() {
    return ServiceProcess.start(
        "operator",
        ServiceJars.operator(),
        withTiered(SERVICE_JVM),
        operatorProperties(operatorHttp, operatorGrpc, stateDir),
        dir.resolve("work"),
        dir.resolve("logs/operator.log"));
  }

  /**
   * Another operator replica beside the first (the Kubernetes runtime's standby, which takes over
   * the Lease): the same settings with its own ports and state directory, plus {@code properties};
   * returns once it is ready. {@link #close()} stops it.
   */
  public ServiceProcess startAnotherOperator(String name, Map<String, String> properties) {
    int http = FreePorts.next();
    int grpc = FreePorts.next();
    Map<String, String> p = operatorProperties(http, grpc, dir.resolve("state-" + name));
    p.putAll(properties);
    ServiceProcess s =
        ServiceProcess.start(
            name,
            ServiceJars.operator(),
            withTiered(SERVICE_JVM),
            p,
            dir.resolve("work"),
            dir.resolve("logs/" + name + ".log"));
    otherOperators.add(s);
    otherPorts.add(http);
    otherPorts.add(grpc);
    s.awaitReady(START_TIMEOUT);
    return s;
  }

  private Map<String, String> operatorProperties(int http, int grpc, Path stateDir) {
    Map<String, String> p = new LinkedHashMap<>();
    ports(p, http, grpc);
    p.put("serval.operator.state-dir", stateDir.toString());
    p.put("serval.operator.autoscaler-tick", settings.autoscalerTick.toSeconds() + "s");
    p.put("serval.operator.router-url", "http://127.0.0.1:" + routerHttp);
    p.put("serval.operator.local.predictor-jar", ServiceJars.predictor().toString());
    p.put("serval.operator.local.working-dir", dir.resolve("work").toString());
    // replicas load file: models only under these roots: the test's own directory and the example
    // models that ModelFiles links into it (links are followed to their real path)
    String examples = System.getProperty("serval.models.dir");
    p.put(
        "serval.operator.local.model-roots",
        dir + (examples == null ? "" : "," + Path.of(examples).toAbsolutePath()));
    StringBuilder replicaJvm = new StringBuilder(REPLICA_JVM);
    settings.replicaProperties.forEach(
        (k, v) -> replicaJvm.append(",-D").append(k).append('=').append(v));
    p.put("serval.operator.local.jvm-args", replicaJvm.toString());
    p.put("serval.operator.local.stop-grace", "5s");
    p.put("serval.operator.local.restart-backoff-initial", "500ms");
    p.putAll(settings.operatorProperties);
    return p;
  }

  private Map<String, String> routerProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    ports(p, routerHttp, routerGrpc);
    p.put("serval.router.operator-address", "127.0.0.1:" + operatorGrpc);
    p.put("serval.router.autoscaler-address", "127.0.0.1:" + autoscalerGrpc);
    p.put("serval.router.reconnect.max-backoff", "500ms");
    if (!settings.apiKeys.isEmpty()) {
      p.put("serval.router.access.api-keys", String.join(",", settings.apiKeys));
    }
    p.putAll(settings.routerProperties);
    return p;
  }

  private Map<String, String> autoscalerProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    ports(p, autoscalerHttp, autoscalerGrpc);
    p.put("serval.autoscaler.tick", settings.autoscalerTick.toSeconds() + "s");
    p.put("serval.autoscaler.operator-address", "127.0.0.1:" + operatorGrpc);
    return p;
  }

  private void ports(Map<String, String> p, int http, int grpc) {
    p.put("serval.platform.token-file", platformToken.toString());
    p.put("quarkus.http.host", "127.0.0.1");
    p.put("quarkus.http.port", Integer.toString(http));
    p.put("quarkus.grpc.server.host", "127.0.0.1");
    p.put("quarkus.grpc.server.port", Integer.toString(grpc));
  }

  private static List<String> withTiered(List<String> jvm) {
    List<String> out = new ArrayList<>(jvm);
    out.add("-XX:TieredStopAtLevel=1");
    return out;
  }

  private String token() {
    Path f = stateDir.resolve("token");
    try {
      return Files.isRegularFile(f) ? Files.readString(f).trim() : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the operator token " + f, e);
    }
  }

  public ManagementClient management() {
    return management;
  }

  /** REST client of the router, with the client API key (if the router has keys). */
  public V2HttpClient http() {
    return http;
  }

  /** The router's REST address, for clients that run outside this JVM (the Python client). */
  public String routerHttpUrl() {
    return "http://127.0.0.1:" + routerHttp;
  }

  /** The router's gRPC address (host:port), for clients built outside the harness. */
  public String routerGrpcTarget() {
    return "127.0.0.1:" + routerGrpc;
  }

  public V2HttpClient http(Optional<String> apiKey) {
    return new V2HttpClient(routerHttp, apiKey);
  }

  public V2GrpcClient grpc() {
    return grpc;
  }

  public ModelFiles models() {
    return models;
  }

  public ServiceProcess operator() {
    return operator;
  }

  public ServiceProcess router() {
    return router;
  }

  public Path dir() {
    return dir;
  }

  /** The HTTP ports of the router, operator and autoscaler, where each serves /q/metrics. */
  public int routerHttpPort() {
    return routerHttp;
  }

  public int operatorHttpPort() {
    return operatorHttp;
  }

  public int autoscalerHttpPort() {
    return autoscalerHttp;
  }

  /** The operator's read-only management token, as a file (what a Prometheus presents). */
  public Path readTokenFile() {
    return stateDir.resolve("read-token");
  }

  /** The replicas of an API as the operator's state directory records them. */
  public List<ReplicaRecord> replicas(String api) {
    Path apiDir = stateDir.resolve("replicas").resolve(api);
    if (!Files.isDirectory(apiDir)) {
      return List.of();
    }
    List<ReplicaRecord> out = new ArrayList<>();
    try (var files = Files.list(apiDir)) {
      for (Path f : files.filter(x -> x.toString().endsWith(".json")).sorted().toList()) {
        try {
          out.add(JSON.readValue(f.toFile(), ReplicaRecord.class));
        } catch (IOException e) {
          // replaced while we read it: the next poll sees the new one
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Every live process started for this platform's replicas or operator (by command line). */
  public List<ProcessHandle> markedProcesses() {
    return ProcessTree.matching(marker);
  }

  /** Live predictor processes of this platform (children of the operator or orphans). */
  public List<ProcessHandle> predictorProcesses() {
    return markedProcesses().stream()
        .filter(p -> p.info().commandLine().orElse("").contains("serval.replica.id"))
        .toList();
  }

  /** A Prometheus sample of the router: the value of {@code metric} with the given label text. */
  public double routerMetric(String metric, String labelFragment) {
    return metric(routerHttp, metric, labelFragment);
  }

  /** A Prometheus sample of one replica. */
  public double replicaMetric(ReplicaRecord r, String metric, String labelFragment) {
    return metric(r.httpPort(), metric, labelFragment);
  }

  private static double metric(int port, String metric, String labelFragment) {
    String text;
    try {
      text =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                      .timeout(Duration.ofSeconds(5))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Pattern line =
        Pattern.compile(
            "^" + Pattern.quote(metric) + "(\\{[^}]*\\})?\\s+(\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(text);
    double sum = 0;
    boolean found = false;
    while (m.find()) {
      String labels = m.group(1) == null ? "" : m.group(1);
      if (labels.contains(labelFragment)) {
        sum += Double.parseDouble(m.group(2));
        found = true;
      }
    }
    return found ? sum : 0;
  }

  /** SIGKILL of the operator alone: its replicas keep running, as after a crash. */
  public void killOperator() {
    operator.kill();
  }

  /** Starts the operator again with the same state directory and ports. */
  public void restartOperator() {
    operator.restart();
    operator.awaitReady(START_TIMEOUT);
  }

  /**
   * Stops the router (SIGTERM, as an upgrade or a node drain does) and starts it again on the same
   * ports; returns once it is ready (it has its routes).
   */
  public void restartRouter() {
    router.stop(STOP_GRACE);
    router.restart();
    router.awaitReady(START_TIMEOUT);
  }

  /** SIGKILL of the router alone (a crash: nothing is handed back). */
  public void killRouter() {
    router.kill();
  }

  /** Starts a killed router again with the same settings and ports; returns once it is ready. */
  public void startRouterAgain() {
    router.restart();
    router.awaitReady(START_TIMEOUT);
  }

  /** Parsed JSON from the operator's state: for checks that the status does not show. */
  public JsonNode stateFile(String relative) {
    try {
      return JSON.readTree(stateDir.resolve(relative).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops router, autoscaler and operator (SIGTERM; the operator stops its replicas), then kills
   * whatever is left. Fails when something had to be killed or a port stays taken.
   */
  @Override
  public void close() {
    List<String> problems = new ArrayList<>();
    if (grpc != null) {
      grpc.close();
    }
    List<ServiceProcess> services = new ArrayList<>();
    services.add(router);
    services.add(autoscaler);
    services.addAll(otherOperators);
    services.add(operator);
    for (ServiceProcess s : services) {
      if (s != null) {
        s.stop(STOP_GRACE);
      }
    }
    List<ProcessHandle> left = ProcessTree.awaitExit(markedProcesses(), Duration.ofSeconds(10));
    if (!left.isEmpty()) {
      problems.add("left running after a clean stop: " + ProcessTree.describe(left));
      left.forEach(ProcessTree::killTree);
    }
    ProcessTree.forgetMarker(marker);
    for (int port :
        new int[] {
          operatorHttp, operatorGrpc, routerHttp, routerGrpc, autoscalerHttp, autoscalerGrpc
        }) {
      if (FreePorts.inUse(port)) {
        problems.add("port " + port + " still taken");
      }
    }
    for (int port : otherPorts) {
      if (FreePorts.inUse(port)) {
        problems.add("port " + port + " still taken");
      }
    }
    System.out.printf("[platform %s] stopped; logs in %s%n", settings.name, dir.resolve("logs"));
    if (!problems.isEmpty()) {
      throw new AssertionError("platform " + settings.name + ": " + String.join("; ", problems));
    }
  }

  public static final class Builder {
    private final String name;
    private Duration autoscalerTick = Duration.ofSeconds(1);
    private final List<String> apiKeys = new ArrayList<>();
    private final Map<String, String> routerProperties = new LinkedHashMap<>();
    private final Map<String, String> operatorProperties = new LinkedHashMap<>();
    private final Map<String, String> replicaProperties = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = name;
    }

    /** Router access keys; the platform's clients then send the first one. */
    public Builder apiKeys(String... keys) {
      apiKeys.addAll(List.of(keys));
      return this;
    }

    public Builder routerProperty(String key, String value) {
      routerProperties.put(key, value);
      return this;
    }

    /** A -D setting of every predictor replica the operator starts (no commas in it). */
    public Builder replicaProperty(String key, String value) {
      replicaProperties.put(key, value);
      return this;
    }

    public Builder operatorProperty(String key, String value) {
      operatorProperties.put(key, value);
      return this;
    }

    /** Whole seconds; the operator is told the same tick (autoscaling windows are multiples). */
    public Builder autoscalerTick(Duration tick) {
      this.autoscalerTick = tick;
      return this;
    }

    Optional<String> clientApiKey() {
      return apiKeys.stream().findFirst();
    }

    /** Starts the three services and waits until each is ready. */
    public Platform start() {
      Platform p = new Platform(this);
      try {
        return p.start();
      } catch (RuntimeException | Error e) {
        try {
          p.close();
        } catch (AssertionError cleanup) {
          e.addSuppressed(cleanup);
        }
        throw e;
      }
    }
  }
}
