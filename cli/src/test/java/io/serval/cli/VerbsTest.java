package io.serval.cli;

import static io.serval.cli.Views.api;
import static io.serval.cli.Views.cond;
import static io.serval.cli.Views.rev;
import static org.assertj.core.api.Assertions.assertThat;

import io.serval.cli.exit.ExitCode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every verb against a scripted management API, router and autoscaler. */
@CliTest
class VerbsTest {

  static FakePlatform platform;
  static Path home;

  @BeforeAll
  static void start() throws IOException {
    platform = new FakePlatform();
    home = Files.createTempDirectory("serval-home");
    // keeps the developer's ~/.serval (token, platform ports) out of these tests
    System.setProperty("serval.home", home.toString());
  }

  @AfterAll
  static void stop() {
    platform.close();
    System.clearProperty("serval.home");
    TempDirs.delete(home);
  }

  @BeforeEach
  void reset() {
    platform.reset();
  }

  private LaunchResult run(CliLauncher launcher, String... args) {
    String[] all = new String[args.length + 6];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--url";
    all[args.length + 1] = platform.url();
    all[args.length + 2] = "--token";
    all[args.length + 3] = "secret";
    all[args.length + 4] = "--autoscaler-url";
    all[args.length + 5] = platform.url();
    return launcher.launch(all);
  }

  @Test
  void getShowsATablePerKind(CliLauncher launcher) {
    platform.on("GET /v1/apis", 200, "[" + Views.liveApi("minilm") + "]");
    platform.on("GET /v1/splitters", 200, "[" + Views.splitter("classifier") + "]");

    LaunchResult r = run(launcher, "get");

    assertThat(r.exitCode()).isZero();
    assertThat(r.getOutput())
        .contains("REALTIME API", "STATUS", "REPLICAS", "UP-TO-DATE", "REVISIONS (TRAFFIC)")
        .containsPattern(
            "minilm\\s+live\\s+1/1\\s+1\\s+r1 100%\\s+http://localhost:8080/v2/models/minilm")
        .contains("TRAFFIC SPLITTER")
        .containsPattern("classifier\\s+live\\s+a 90%, b 10%, c 5% \\(shadow\\)");
  }

  @Test
  void getShowsTheRoutersTrafficOfTheLastMinutes(CliLauncher launcher) {
    platform.on("GET /v1/apis", 200, "[" + Views.liveApi("minilm") + "]");
    platform.on("GET /v1/splitters", 200, "[]");
    platform.on(
        "GET /v1/stats",
        200,
        "{\"window\":\"5m\",\"windowSeconds\":300,\"apis\":[{\"api\":\"minilm\","
            + "\"requests\":12,\"requestsPerSecond\":0.04,\"status2xx\":10,\"status4xx\":2,"
            + "\"status5xx\":0,\"meanMillis\":8.0,\"p50Millis\":4.8,\"p99Millis\":27.0}]}");

    LaunchResult r = run(launcher, "get", "--router-url", platform.url(), "--api-key", "k-1");

    assertThat(r.exitCode()).isZero();
    assertThat(r.getOutput())
        .contains("REQ/S", "2XX", "4XX", "5XX", "P50", "P99")
        .containsPattern("minilm .*\\s0\\.04\\s+10\\s+2\\s+0\\s+4\\.8ms\\s+27ms")
        .contains("traffic: the last 5m in the router");
    assertThat(platform.requests)
        .anySatisfy(
            q -> {
              assertThat(q.path()).isEqualTo("/v1/stats");
              assertThat(q.header("Authorization")).isEqualTo("Bearer k-1");
            });
  }

  @Test
  void getWithoutTheRouterStillPrintsTheTableWithDashes(CliLauncher launcher) throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    platform.on("GET /v1/apis", 200, "[" + Views.liveApi("minilm") + "]");
    platform.on("GET /v1/splitters", 200, "[]");

    LaunchResult r = run(launcher, "get", "--router-url", "http://127.0.0.1:" + closed);

    assertThat(r.exitCode()).isZero();
    assertThat(r.getOutput())
        .containsPattern("minilm .*\\s-\\s+-\\s+-\\s+-\\s+-\\s+-")
        .contains(
            "traffic columns unavailable: cannot reach the router at http://127.0.0.1:" + closed);
  }

  @Test
  void getPrintsJsonAndYaml(CliLauncher launcher) {
    platform.on("GET /v1/apis/minilm", 200, Views.liveApi("minilm"));

    LaunchResult json = run(launcher, "get", "minilm", "-o", "json");
    LaunchResult yaml = run(launcher, "get", "minilm", "-o", "yaml");

    assertThat(json.exitCode()).isZero();
    assertThat(json.getOutput())
        .contains("\"kind\" : \"RealtimeApi\"", "\"observedGeneration\" : 1");
    assertThat(yaml.exitCode()).isZero();
    assertThat(yaml.getOutput())
        .startsWith("apiVersion: serving.serval.io/v1alpha1\nkind: RealtimeApi\n")
        .contains("metadata:\n  name: minilm\nspec:\n");
  }

  @Test
  void getYamlIsTheAppliedSpecWithoutStatusOrServerSetFields(CliLauncher launcher) {
    platform.on("GET /v1/apis/minilm", 200, Views.liveApi("minilm"));

    LaunchResult yaml = run(launcher, "get", "minilm", "-o", "yaml");

    assertThat(yaml.exitCode()).isZero();
    assertThat(yaml.getOutput())
        .contains("kind: RealtimeApi", "name: minilm", "spec:")
        .doesNotContain(
            "status:", "observedGeneration", "generation:", "creationTimestamp", "updateTimestamp");
    assertThat(yaml.getErrorOutput()).doesNotContain("warning");
  }

  @Test
  void getYamlWarnsThatHiddenCredentialsMustBePutBack(CliLauncher launcher) {
    platform.on(
        "GET /v1/apis/minilm",
        200,
        Views.liveApi("minilm").replace("file:models/m.onnx", "https://REDACTED@h/m.onnx"));

    LaunchResult yaml = run(launcher, "get", "minilm", "-o", "yaml");

    assertThat(yaml.exitCode()).isZero();
    assertThat(yaml.getOutput()).contains("uri: https://REDACTED@h/m.onnx");
    assertThat(yaml.getErrorOutput()).contains("credentials are hidden");
  }

  private static final String PLAN =
      """
      {"changed":true,"dryRun":true,"message":"dry run, nothing applied: ...","resources":[
       {"kind":"RealtimeApi","name":"m","action":"updated","revision":"r2","generation":2,
        "message":"m: new revision r2 (predictor changed), rolling out",
        "changes":[{"path":"spec.predictor.threadsPerWorker","from":2,"to":1},
                   {"path":"spec.traffic.timeout","from":"10s","to":"5s"},
                   {"path":"spec.model.sha256","to":"abc"}]},
       {"kind":"RealtimeApi","name":"n","action":"configured","revision":"r9","generation":3,
        "message":"n: autoscaling changed, applied in place",
        "changes":[{"path":"spec.autoscaling.maxReplicas","from":3,"to":4}]},
       {"kind":"TrafficSplitter","name":"s","action":"created","generation":1,
        "message":"s: created","changes":[]},
       {"kind":"RealtimeApi","name":"u","action":"unchanged","revision":"r1","generation":1,
        "message":"u: unchanged","changes":[]}]}""";

  private static final String NO_CHANGE =
      """
      {"changed":false,"dryRun":true,"message":"dry run, nothing applied: nothing changed","resources":[
       {"kind":"RealtimeApi","name":"u","action":"unchanged","revision":"r1","generation":1,
        "message":"u: unchanged","changes":[]}]}""";

  @Test
  void deployDryRunPrintsThePlanAndAppliesNothing(
      CliLauncher launcher, @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path spec = Files.writeString(dir.resolve("m.yaml"), "kind: RealtimeApi\n");
    platform.on("POST /v1/deploy", 200, PLAN);

    LaunchResult r = run(launcher, "deploy", spec.toString(), "--dry-run");

    assertThat(r.exitCode()).isZero();
    assertThat(r.getOutput())
        .containsSubsequence(
            "RealtimeApi m: new revision r2 (rolled out)",
            "  spec.predictor.threadsPerWorker: 2 → 1",
            "RealtimeApi n: changed in place (no new revision)",
            "TrafficSplitter s: would be created",
            "RealtimeApi u: unchanged",
            "dry run: nothing was applied");
    // One call, the dry run; no rollout followed (no GET).
    assertThat(platform.requests).hasSize(1);
    assertThat(platform.requests.getFirst().path()).isEqualTo("/v1/deploy?dryRun=true");
    assertThat(platform.requests.getFirst().header("Authorization")).isEqualTo("Bearer secret");
  }

  @Test
  void deployDryRunRefusalIsTheDeploysRefusal(
      CliLauncher launcher, @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path spec =
        Files.writeString(
            dir.resolve("bad.yaml"),
            "kind: RealtimeApi\nmetadata: {name: m}\nspec:\n  autoscaling:\n    maxReplicas: 0\n");
    platform.on(
        "POST /v1/deploy",
        400,
        "{\"error\":\"invalid spec\",\"problems\":[\"m: spec.autoscaling.maxReplicas: must be"
            + " >= 1\"]}");

    LaunchResult dry = run(launcher, "deploy", spec.toString(), "--dry-run");
    LaunchResult diff = run(launcher, "diff", spec.toString());

    assertThat(dry.exitCode()).isEqualTo(ExitCode.REJECTED);
    assertThat(dry.getErrorOutput())
        .contains("bad.yaml:5: m: spec.autoscaling.maxReplicas: must be >= 1");
    assertThat(diff.exitCode()).isEqualTo(ExitCode.REJECTED);
    assertThat(diff.getErrorOutput())
        .contains("bad.yaml:5: m: spec.autoscaling.maxReplicas: must be >= 1");
  }

  @Test
  void diffShowsEachChangedFieldAndExits1(
      CliLauncher launcher, @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path spec = Files.writeString(dir.resolve("m.yaml"), "kind: RealtimeApi\n");
    platform.on("POST /v1/deploy", 200, PLAN);

    LaunchResult r = run(launcher, "diff", spec.toString());

    assertThat(r.exitCode()).isEqualTo(DiffCommand.CHANGES).isEqualTo(1);
    assertThat(r.getOutput())
        .containsSubsequence(
            "RealtimeApi m: new revision r2 (rolled out)",
            "  spec.predictor.threadsPerWorker: 2 → 1",
            "  spec.traffic.timeout: 10s → 5s",
            "  spec.model.sha256: (unset) → abc",
            "RealtimeApi n: changed in place (no new revision)",
            "  spec.autoscaling.maxReplicas: 3 → 4",
            "TrafficSplitter s: would be created",
            "RealtimeApi u: unchanged");
    assertThat(platform.requests).hasSize(1);
    assertThat(platform.requests.getFirst().path()).isEqualTo("/v1/deploy?dryRun=true");
  }

  @Test
  void diffExits0WhenNothingWouldChange(
      CliLauncher launcher, @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path spec = Files.writeString(dir.resolve("u.yaml"), "kind: RealtimeApi\n");
    platform.on("POST /v1/deploy", 200, NO_CHANGE);

    LaunchResult r = run(launcher, "diff", spec.toString());

    assertThat(r.exitCode()).isZero();
    assertThat(r.getOutput()).isEqualTo("RealtimeApi u: unchanged");
  }

  @Test
  void unknownNameSaysWhatIsDeployed(CliLauncher launcher) {
    platform.on("GET /v1/apis", 200, "[" + Views.liveApi("minilm") + "]");
    platform.on("GET /v1/splitters", 200, "[]");

    LaunchResult r = run(launcher, "describe", "nope");

    assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(r.getErrorOutput())
        .contains("no API or traffic splitter named \"nope\" (deployed: minilm)");
  }

  @Test
  void deployFollowsTheRolloutUntilReady(
      CliLauncher launcher, @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path spec =
        Files.writeString(dir.resolve("m.yaml"), "kind: RealtimeApi\nmetadata: {name: m}\n");
    platform.on(
        "POST /v1/deploy",
        200,
        """
        {"changed":true,"message":"m: new revision r2","resources":[{"kind":"RealtimeApi","name":"m",
         "action":"updated","revision":"r2","generation":2,"message":"m: new revision r2 (model changed), rolling out"}]}""");
    platform.on(
        "GET /v1/apis/m",
        200,
        api(
            "m",
            2,
            2,
            1,
            1,
            0,
            rev("r1", 100, 1, false) + "," + rev("r2", 0, 0, true),
            cond("Ready", "False", "ReplicasNotReady", "0/1 replicas of revision r2 ready"),
            cond(
                "RolloutInProgress",
                "True",
                "WaitingForReady",
                "waiting for revision r2 to be ready"),
            cond("Degraded", "False", "Healthy", "ok")));
    platform.on(
        "GET /v1/apis/m",
        200,
        api(
            "m",
            2,
            2,
            1,
            2,
            1,
            rev("r1", 50, 1, false) + "," + rev("r2", 50, 1, true),
            cond("Ready", "True", "AllReplicasReady", "1/1 replicas of revision r2 ready"),
            cond("RolloutInProgress", "True", "ShiftingTraffic", "step 1 of 2: 50% on r2"),
            cond("Degraded", "False", "Healthy", "ok")));
    platform.on(
        "GET /v1/apis/m",
        200,
        api(
            "m",
            2,
            2,
            1,
            1,
            1,
            rev("r2", 100, 1, true),
            cond("Ready", "True", "AllReplicasReady", "1/1 replicas of revision r2 ready"),
            cond("RolloutInProgress", "False", "Complete", "all traffic on revision r2"),
            cond("Degraded", "False", "Healthy", "ok")));

    LaunchResult r = run(launcher, "deploy", spec.toString());

    assertThat(r.exitCode()).isZero();
    assertThat(r.getOutput())
        .containsSubsequence(
            "m: new revision r2 (model changed), rolling out",
            "m: replicas 1/1 ready (0 on revision r2)",
            "m: rollout WaitingForReady: waiting for revision r2 to be ready",
            "m: rollout ShiftingTraffic: step 1 of 2: 50% on r2",
            "m: traffic r1 50%, r2 50%",
            "m: rollout Complete: all traffic on revision r2",
            "m: ready: revision r2, 1/1 replicas, at http://localhost:8080/v2/models/m");
    FakePlatform.Request post = platform.requests.getFirst();
    assertThat(post.method()).isEqualTo("POST");
    assertThat(post.header("Authorization")).isEqualTo("Bearer secret");
    // Reads need the token too: every GET of the rollout watch carried it.
    assertThat(platform.requests)
        .filteredOn(q -> q.method().equals("GET"))
        .isNotEmpty()
        .allSatisfy(q -> assertThat(q.header("Authorization")).isEqualTo("Bearer secret"));
    assertThat(post.header("Content-Type")).isEqualTo("application/yaml");
    assertThat(post.body()).contains("metadata: {name: m}");
  }

  @Test
  void deployThatRollsBackFailsWithTheReason(
      CliLauncher launcher, @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path spec = Files.writeString(dir.resolve("m.yaml"), "kind: RealtimeApi\n");
    platform.on(
        "POST /v1/deploy",
        200,
        """
        {"changed":true,"message":"","resources":[{"kind":"RealtimeApi","name":"m","action":"updated",
         "revision":"r2","generation":2,"message":"m: new revision r2 (model changed), rolling out"}]}""");
    platform.on(
        "GET /v1/apis/m",
        200,
        api(
            "m",
            2,
            2,
            1,
            1,
            1,
            rev("r1", 100, 1, true) + "," + rev("r2", 0, 0, false),
            cond("Ready", "True", "AllReplicasReady", "1/1 replicas of revision r1 ready"),
            cond("RolloutInProgress", "False", "RolledBack", "revision r2 not ready within 10m"),
            cond("Degraded", "False", "Healthy", "ok")));

    LaunchResult r = run(launcher, "deploy", spec.toString());

    assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(r.getOutput())
        .contains("m: rolled back to revision r1: revision r2 not ready within 10m");
  }

  @Test
  void deployRefusalShowsEachProblemWithItsLine(
      CliLauncher launcher, @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path spec =
        Files.writeString(
            dir.resolve("bad.yaml"),
            """
            kind: RealtimeApi
            metadata: {name: x}
            spec:
              model: {uri: 3}
              autoscaling:
                minReplicas: -1
            """);
    platform.on(
        "POST /v1/deploy",
        400,
        """
        {"error":"2 problems","problems":["x: spec.model.uri: must be a string, got 3",
          "x: spec.autoscaling.minReplicas: must be >= 0, got -1"]}""");

    LaunchResult r = run(launcher, "deploy", spec.toString());

    assertThat(r.exitCode()).isEqualTo(ExitCode.REJECTED);
    assertThat(r.getErrorOutput())
        .contains("the platform refused " + spec + " (2 problems):")
        .contains(spec + ":4: x: spec.model.uri: must be a string, got 3")
        .contains(spec + ":6: x: spec.autoscaling.minReplicas: must be >= 0, got -1");
  }

  @Test
  void refusedTokenExits4AndSaysWhere(
      CliLauncher launcher, @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path spec = Files.writeString(dir.resolve("m.yaml"), "kind: RealtimeApi\n");
    platform.on("POST /v1/deploy", 401, "{\"error\":\"invalid bearer token\"}");

    LaunchResult r = run(launcher, "deploy", spec.toString());

    assertThat(r.exitCode()).isEqualTo(ExitCode.UNAUTHORIZED);
    assertThat(r.getErrorOutput())
        .contains("the management API refused the call: invalid bearer token")
        .contains("--token or SERVAL_TOKEN");
  }

  @Test
  void refusedReadExits4AndSaysWhere(CliLauncher launcher) {
    platform.on("GET /v1/apis", 401, "{\"error\":\"invalid bearer token\"}");
    platform.on("GET /v1/splitters", 401, "{\"error\":\"invalid bearer token\"}");

    LaunchResult r = run(launcher, "get");

    assertThat(r.exitCode()).isEqualTo(ExitCode.UNAUTHORIZED);
    assertThat(r.getErrorOutput())
        .contains("the management API refused the call: invalid bearer token")
        .contains("--token or SERVAL_TOKEN");
    assertThat(platform.requests.getFirst().header("Authorization")).isEqualTo("Bearer secret");
  }

  @Test
  void missingFileIsAUsageError(CliLauncher launcher) {
    LaunchResult r = run(launcher, "deploy", "/no/such/file.yaml");

    assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(r.getErrorOutput()).contains("no such file: /no/such/file.yaml");
  }

  @Test
  void unreachablePlatformExits3WithAHint(CliLauncher launcher) throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }

    LaunchResult r = launcher.launch("get", "--url", "http://127.0.0.1:" + closed);

    assertThat(r.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
    assertThat(r.getErrorOutput())
        .contains("cannot reach the management API at http://127.0.0.1:" + closed)
        .contains("./serval up");
  }

  @Test
  void describeShowsConditionsRevisionsAndTheAutoscalersReasons(CliLauncher launcher) {
    platform.on("GET /v1/apis/minilm", 200, Views.liveApi("minilm"));
    platform.on(
        "GET /v1/apis/minilm/replicas",
        200,
        """
        [{"id":"minilm-r1-0","revision":"r1","phase":"READY","ready":true,"restarts":0,
          "address":"127.0.0.1:40001","message":null},
         {"id":"minilm-r1-1","revision":"r1","phase":"RESTARTING","ready":false,"restarts":2,
          "address":"127.0.0.1:40003","message":"exited with code 137; restarting in 4s"}]""");
    platform.on(
        "GET /v1/autoscaler/apis/minilm",
        200,
        """
        {"api":"minilm","decidedAt":"2026-01-01T00:00:00Z",
         "inputs":{"currentReplicas":1,"readyReplicas":1,
           "window":{"length":"PT1M","averageInFlight":12.5,"seconds":60,"routers":1},
           "panicWindow":{"length":"PT6S","averageInFlight":null,"seconds":0,"routers":0},
           "spec":{"targetInFlight":8.0}},
         "rawRecommendation":1.5625,
         "steps":[{"rule":"max-upscale","from":1.5625,"to":1.5,"reason":"at most 1.5x current"}],
         "desiredReplicas":2,"panic":false,"summary":"desired 2 from raw 1.56",
         "delivery":{"state":"DELIVERED","replicas":2,"appliedReplicas":2,"failedAttempts":0}}""");

    LaunchResult r = run(launcher, "describe", "minilm");

    assertThat(r.exitCode()).isZero();
    assertThat(r.getOutput())
        .contains("Name:          minilm", "Status:        live")
        .containsPattern("Ready\\s+True\\s+AllReplicasReady\\s+1/1 replicas of revision r1 ready")
        .containsPattern("r1\\s+100%\\s+1\\s+yes")
        .containsPattern("minilm-r1-0\\s+r1\\s+ready\\s+0\\s+127.0.0.1:40001")
        .containsPattern(
            "minilm-r1-1\\s+r1\\s+restarting\\s+2\\s+127.0.0.1:40003\\s+exited with code 137")
        .contains("Last decision:  2 replicas")
        .contains("Why:            desired 2 from raw 1.56")
        .contains("in-flight avg 12.50 over 1m (60 s, 1 router); panic no samples over 6s")
        .contains("max-upscale: 1.56 -> 1.50 (at most 1.5x current)")
        .contains("Delivery:       delivered, operator applied 2");
  }

  @Test
  void describeAsJsonAndYamlHasTheStatusReplicasAndTheAutoscalersDecision(CliLauncher launcher) {
    platform.on("GET /v1/apis/minilm", 200, Views.liveApi("minilm"));
    platform.on(
        "GET /v1/apis/minilm/replicas",
        200,
        "[{\"id\":\"minilm-r1-0\",\"revision\":\"r1\",\"phase\":\"READY\",\"ready\":true}]");
    platform.on(
        "GET /v1/autoscaler/apis/minilm",
        200,
        "{\"api\":\"minilm\",\"desiredReplicas\":2,\"summary\":\"desired 2 from raw 1.56\"}");

    LaunchResult json = run(launcher, "describe", "minilm", "-o", "json");
    LaunchResult yaml = run(launcher, "describe", "minilm", "-o", "yaml");

    assertThat(json.exitCode()).isZero();
    com.fasterxml.jackson.databind.JsonNode doc = io.serval.cli.client.Json.parse(json.getOutput());
    assertThat(doc.path("metadata").path("name").asText()).isEqualTo("minilm");
    assertThat(doc.path("status").path("observedGeneration").asInt()).isEqualTo(1);
    assertThat(doc.path("replicas").get(0).path("id").asText()).isEqualTo("minilm-r1-0");
    assertThat(doc.path("autoscaler").path("decision").path("desiredReplicas").asInt())
        .isEqualTo(2);
    assertThat(yaml.exitCode()).isZero();
    assertThat(yaml.getOutput())
        .contains("kind: RealtimeApi", "replicas:", "- id: minilm-r1-0", "autoscaler:")
        .contains("summary: desired 2 from raw 1.56");
  }

  @Test
  void describeWorksWithoutTheAutoscaler(CliLauncher launcher) throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    platform.on("GET /v1/apis/minilm", 200, Views.liveApi("minilm"));

    LaunchResult r =
        launcher.launch(
            "describe",
            "minilm",
            "--url",
            platform.url(),
            "--autoscaler-url",
            "http://127.0.0.1:" + closed);

    assertThat(r.exitCode()).isZero();
    assertThat(r.getOutput())
        .contains("Autoscaler:", "(no decision to show: cannot reach the autoscaler");
  }

  @Test
  void deleteAndRollbackResolveTheKind(CliLauncher launcher) {
    platform.on("GET /v1/apis/classifier", 404, "{\"error\":\"no API named classifier\"}");
    platform.on("GET /v1/splitters/classifier", 200, Views.splitter("classifier"));
    platform.on(
        "DELETE /v1/splitters/classifier",
        200,
        "{\"deleted\":\"classifier\",\"message\":\"classifier: deleted\"}");
    platform.on("GET /v1/apis/minilm", 200, Views.liveApi("minilm"));
    platform.on("POST /v1/apis/minilm/rollback", 200, Views.liveApi("minilm"));

    LaunchResult deleted = run(launcher, "delete", "classifier");
    LaunchResult rolledBack = run(launcher, "rollback", "minilm");

    assertThat(deleted.exitCode()).isZero();
    assertThat(deleted.getOutput()).contains("classifier: deleted");
    assertThat(rolledBack.exitCode()).isZero();
    assertThat(rolledBack.getOutput()).contains("minilm: rolling back; revisions now r1 100%");
    assertThat(platform.requests)
        .anySatisfy(
            q -> {
              assertThat(q.method()).isEqualTo("DELETE");
              assertThat(q.header("Authorization")).isEqualTo("Bearer secret");
            });
  }

  @Test
  void conflictOnDeleteExits6(CliLauncher launcher) {
    platform.on("GET /v1/apis/a", 200, Views.liveApi("a"));
    platform.on("DELETE /v1/apis/a", 409, "{\"error\":\"a is used by traffic splitter s\"}");

    LaunchResult r = run(launcher, "delete", "a");

    assertThat(r.exitCode()).isEqualTo(ExitCode.REJECTED);
    assertThat(r.getErrorOutput()).contains("a is used by traffic splitter s");
  }

  @Test
  void logsFilterAReplicaAndFollowPrintsEachLineOnce(CliLauncher launcher) {
    platform.on("GET /v1/apis/m", 200, Views.liveApi("m"));
    platform.on("GET /v1/apis/m/logs", 200, "m-r1-0 | one\nm-r1-1 | other\nm-r1-0 | two\n");
    platform.on(
        "GET /v1/apis/m/logs", 200, "m-r1-0 | one\nm-r1-1 | other\nm-r1-0 | two\nm-r1-0 | three\n");
    platform.on("GET /v1/apis/m/logs", 404, "{\"error\":\"no API named m\"}");

    LaunchResult r = run(launcher, "logs", "m", "--replica", "0", "-f", "--interval", "10ms");

    assertThat(r.exitCode()).isZero();
    assertThat(r.getOutput())
        .isEqualTo("m-r1-0 | one\nm-r1-0 | two\nm-r1-0 | three\n(m was deleted)");
    assertThat(platform.requests)
        .anySatisfy(q -> assertThat(q.path()).endsWith("/logs?lines=1000"));
  }

  @Test
  void predictPrintsTheV2AnswerAndTheRevision(CliLauncher launcher) {
    platform.on(
        "POST /v2/models/m/infer",
        200,
        "{\"model_name\":\"m\",\"outputs\":[]}",
        Map.of("serval-revision", "m/r1"));

    LaunchResult r =
        launcher.launch(
            "predict", "m", "--json", "{\"inputs\":[]}", "--router-url", platform.url());

    assertThat(r.exitCode()).isZero();
    assertThat(r.getOutput()).isEqualTo("{\"model_name\":\"m\",\"outputs\":[]}");
    assertThat(r.getErrorOutput()).contains("served by m/r1");
    assertThat(platform.requests.getFirst().body()).isEqualTo("{\"inputs\":[]}");
  }

  @Test
  void predictSendsTheApiKey(CliLauncher launcher) {
    platform.on("POST /v2/models/m/infer", 200, "{\"model_name\":\"m\",\"outputs\":[]}");

    LaunchResult r =
        launcher.launch(
            "predict",
            "m",
            "--json",
            "{\"inputs\":[]}",
            "--router-url",
            platform.url(),
            "--api-key",
            "k-123");

    assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
    assertThat(platform.requests.getFirst().header("Authorization")).isEqualTo("Bearer k-123");
  }

  @Test
  void predictRefusedForWantOfAKeySaysHowToPassOne(CliLauncher launcher) {
    platform.on("POST /v2/models/m/infer", 401, "{\"error\":\"a valid API key is required\"}");

    LaunchResult r =
        launcher.launch(
            "predict", "m", "--json", "{\"inputs\":[]}", "--router-url", platform.url());

    assertThat(r.exitCode()).isEqualTo(ExitCode.UNAUTHORIZED);
    assertThat(r.getErrorOutput()).contains("a valid API key is required", "--api-key");
    assertThat(platform.requests.getFirst().header("Authorization")).isNull();
  }

  @Test
  void predictExplainsAFullQueue(CliLauncher launcher) {
    platform.on(
        "POST /v2/models/m/infer",
        503,
        "{\"error\":\"queue of m is full\"}",
        Map.of("Retry-After", "1"));

    LaunchResult r =
        launcher.launch(
            "predict", "m", "--json", "{\"inputs\":[]}", "--router-url", platform.url());

    assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(r.getErrorOutput())
        .contains("the router answered 503 for m: queue of m is full (retry after 1s)");
  }

  @Test
  void predictRefusesInvalidJsonBeforeSending(CliLauncher launcher) {
    LaunchResult r =
        launcher.launch("predict", "m", "--json", "{inputs", "--router-url", platform.url());

    assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(r.getErrorOutput()).contains("--json is not valid JSON");
    assertThat(platform.requests).isEmpty();
  }

  private static final String ID = "0123456789abcdef0123456789abcdef";

  @Test
  void predictAsyncPrintsTheRequestId(CliLauncher launcher) {
    platform.on(
        "POST /v2/models/m/infer",
        202,
        "{\"id\":\"" + ID + "\",\"status\":\"pending\"}",
        Map.of("Location", "/v2/models/m/async/" + ID));

    LaunchResult r =
        launcher.launch(
            "predict", "m", "--json", "{\"inputs\":[]}", "--async", "--router-url", platform.url());

    assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
    assertThat(r.getOutput()).isEqualTo(ID);
    assertThat(platform.requests.getFirst().header("Prefer")).isEqualTo("respond-async");
  }

  @Test
  void resultPrintsTheStatusThenWithWaitTheAnswer(CliLauncher launcher) {
    platform.on(
        "GET /v2/async/" + ID,
        200,
        "{\"id\":\"" + ID + "\",\"status\":\"pending\"}",
        Map.of("Serval-Async-Status", "pending"));
    platform.on(
        "GET /v2/async/" + ID,
        200,
        "{\"id\":\"" + ID + "\",\"status\":\"running\"}",
        Map.of("Serval-Async-Status", "running"));
    platform.on(
        "GET /v2/async/" + ID,
        200,
        "{\"model_name\":\"m\",\"outputs\":[]}",
        Map.of("Serval-Async-Status", "succeeded"));

    LaunchResult once = launcher.launch("result", ID, "--router-url", platform.url());
    assertThat(once.exitCode()).isZero();
    assertThat(once.getOutput()).contains("\"status\":\"pending\"");

    LaunchResult waited =
        launcher.launch(
            "result", ID, "--wait", "--interval", "10ms", "--router-url", platform.url());
    assertThat(waited.exitCode()).as(waited.getErrorOutput()).isZero();
    assertThat(waited.getOutput()).isEqualTo("{\"model_name\":\"m\",\"outputs\":[]}");
  }

  /**
   * With --wait each GET asks the router to hold it (Prefer: wait); one that was held (the router
   * says Preference-Applied) is followed by the next at once, not after --interval: with a minute's
   * interval and timeout, a sleep would leave the second GET no whole second to ask for.
   */
  @Test
  void resultWaitAsksTheRouterToHoldEachGet(CliLauncher launcher) {
    platform.on(
        "GET /v2/async/" + ID,
        200,
        "{\"id\":\"" + ID + "\",\"status\":\"running\"}",
        Map.of("Serval-Async-Status", "running", "Preference-Applied", "wait=59"));
    platform.on(
        "GET /v2/async/" + ID,
        200,
        "{\"model_name\":\"m\",\"outputs\":[]}",
        Map.of("Serval-Async-Status", "succeeded", "Preference-Applied", "wait=59"));

    LaunchResult r =
        launcher.launch(
            "result",
            ID,
            "--wait",
            "--timeout",
            "1m",
            "--interval",
            "1m",
            "--router-url",
            platform.url());

    assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
    assertThat(r.getOutput()).isEqualTo("{\"model_name\":\"m\",\"outputs\":[]}");
    assertThat(platform.requests).hasSize(2);
    for (FakePlatform.Request q : platform.requests) {
      assertThat(q.header("Prefer")).matches("wait=5[89]");
    }
  }

  @Test
  void resultOfAFailedRequestExitsOneAndAnUnknownOneNotFound(CliLauncher launcher) {
    platform.on(
        "GET /v2/async/" + ID,
        200,
        "{\"id\":\"" + ID + "\",\"status\":\"failed\",\"error\":\"INVALID_ARGUMENT: bad\"}",
        Map.of("Serval-Async-Status", "failed"));
    LaunchResult failed = launcher.launch("result", ID, "--router-url", platform.url());
    assertThat(failed.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(failed.getOutput()).contains("INVALID_ARGUMENT: bad");

    String unknown = "f".repeat(32);
    LaunchResult missing = launcher.launch("result", unknown, "--router-url", platform.url());
    assertThat(missing.exitCode()).isEqualTo(ExitCode.NOT_FOUND);

    LaunchResult malformed = launcher.launch("result", "nope", "--router-url", platform.url());
    assertThat(malformed.exitCode()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void resultWaitGivesUpAtItsTimeout(CliLauncher launcher) {
    platform.on(
        "GET /v2/async/" + ID,
        200,
        "{\"id\":\"" + ID + "\",\"status\":\"pending\"}",
        Map.of("Serval-Async-Status", "pending"));
    LaunchResult r =
        launcher.launch(
            "result",
            ID,
            "--wait",
            "--timeout",
            "50ms",
            "--interval",
            "10ms",
            "--router-url",
            platform.url());
    assertThat(r.exitCode()).isEqualTo(ExitCode.TIMED_OUT);
    assertThat(r.getErrorOutput()).contains("still pending");
  }

  @Test
  void watchRedrawsUntilItsCount(CliLauncher launcher) {
    platform.on("GET /v1/apis", 200, "[" + Views.liveApi("minilm") + "]");
    platform.on("GET /v1/splitters", 200, "[]");

    LaunchResult r = run(launcher, "get", "--watch", "--interval", "10ms", "--watch-count", "3");

    assertThat(r.exitCode()).isZero();
    assertThat(r.getOutput().split("REALTIME API", -1)).hasSize(4);
    assertThat(platform.requests.stream().filter(q -> q.path().equals("/v1/apis")).count())
        .isEqualTo(3);
  }

  @Test
  void everyVerbHasHelpWithAnExample(CliLauncher launcher) {
    for (String verb :
        new String[] {
          "up",
          "down",
          "deploy",
          "diff",
          "get",
          "describe",
          "delete",
          "rollback",
          "logs",
          "predict",
          "result"
        }) {
      LaunchResult r = launcher.launch(verb, "--help");
      assertThat(r.exitCode()).as(verb).isZero();
      assertThat(r.getOutput()).as(verb).contains("Usage: serval " + verb, "Example");
    }
  }
}
