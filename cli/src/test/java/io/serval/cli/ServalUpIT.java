package io.serval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.cli.platform.PortProbe;
import io.serval.cli.platform.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The first-run path of a new user, through the launcher script and the packaged services: up
 * --example from a clean state directory, get, predict, deploy a change and follow it, logs,
 * delete, down; then no process of the platform is left and its ports are free. Runs on ports
 * shifted away from the defaults, so that a developer's own platform is left alone.
 */
class ServalUpIT {

  static Path root;
  static Path home;
  static Ports ports;
  static int offset;

  /** Every process of the platform seen during the test, killed in @AfterAll if still alive. */
  static final Set<ProcessHandle> seen = new HashSet<>();

  record Run(int exit, String output) {}

  @BeforeAll
  static void setUp() throws IOException {
    root = Path.of(System.getProperty("serval.root", "..")).toAbsolutePath().normalize();
    assertThat(root.resolve("serval")).as("the launcher script").isExecutable();
    home = Files.createTempDirectory("serval-up-it");
    offset = LocalPlatforms.freeOffset();
    ports = Ports.withOffset(offset);
  }

  private static Run serval(Duration max, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(root.resolve("serval").toString());
    cmd.addAll(Arrays.asList(args));
    Path log = Files.createTempFile(home, "cmd", ".out");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("SERVAL_") || k.startsWith("QUARKUS_"));
    env.put("SERVAL_HOME", home.toString());
    env.put("SERVAL_JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    if (!p.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(
          "serval " + String.join(" ", args) + " ran past " + max + ":\n" + Files.readString(log));
    }
    recordPlatformProcesses();
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static void recordPlatformProcesses() {
    LocalPlatforms.collectProcesses(home, seen);
  }

  @Test
  void aNewUsersFirstSession() throws Exception {
    Run up = serval(Duration.ofMinutes(3), "up", "--example", "--port-offset", "" + offset);
    assertThat(up.exit()).as(up.output()).isZero();
    assertThat(up.output())
        .contains("Serval is up:", "localhost:" + ports.routerHttp())
        .contains("minilm: ready: revision")
        .contains("last_hidden_state FP32 [1,4,384]")
        .contains("curl -s http://localhost:" + ports.routerHttp() + "/v2/models/minilm/infer");

    Run again = serval(Duration.ofMinutes(1), "up");
    assertThat(again.exit()).as(again.output()).isZero();
    assertThat(again.output()).contains("Serval is already up (nothing changed)");

    Run get = serval(Duration.ofMinutes(1), "get");
    assertThat(get.exit()).as(get.output()).isZero();
    assertThat(get.output()).containsPattern("minilm\\s+live\\s+1/1");
    // The traffic columns (last 5 minutes in the router): REQ/S 2XX 4XX 5XX P50 P99 end the row.
    List<String> trafficBefore = trafficCells(get.output());
    assertThat(trafficBefore).as(get.output()).hasSize(6);

    // one build, one version: each service reports the CLI's, and nothing is warned
    Run version = serval(Duration.ofMinutes(1), "version");
    assertThat(version.exit()).as(version.output()).isZero();
    String v = VersionCommand.version();
    assertThat(version.output())
        .containsPattern("cli\\s+" + v)
        .containsPattern("operator\\s+" + v + "\\s+http://localhost:" + ports.operatorHttp())
        .containsPattern("router\\s+" + v + "\\s+http://localhost:" + ports.routerHttp())
        .containsPattern("autoscaler\\s+" + v + "\\s+http://localhost:" + ports.autoscalerHttp())
        .doesNotContain("warning", "unknown");

    Path request = home.resolve("request.json");
    Files.writeString(
        request,
        "{\"inputs\": [{\"name\": \"input_ids\", \"datatype\": \"INT64\", \"shape\": [1, 3],"
            + " \"data\": [101, 7592, 102]}, {\"name\": \"attention_mask\", \"datatype\":"
            + " \"INT64\", \"shape\": [1, 3], \"data\": [1, 1, 1]}, {\"name\": \"token_type_ids\","
            + " \"datatype\": \"INT64\", \"shape\": [1, 3], \"data\": [0, 0, 0]}]}");
    Run predict = serval(Duration.ofMinutes(1), "predict", "minilm", "--file", request.toString());
    assertThat(predict.exit()).as(predict.output()).isZero();
    assertThat(predict.output())
        .contains("\"name\":\"last_hidden_state\"", "\"shape\":[1,3,384]", "served by minilm/");
    for (int i = 0; i < 2; i++) {
      Run more = serval(Duration.ofMinutes(1), "predict", "minilm", "--file", request.toString());
      assertThat(more.exit()).as(more.output()).isZero();
    }
    Run traffic = serval(Duration.ofMinutes(1), "get");
    assertThat(traffic.exit()).as(traffic.output()).isZero();
    List<String> trafficAfter = trafficCells(traffic.output());
    assertThat(Long.parseLong(trafficAfter.get(1)))
        .as(traffic.output())
        .isEqualTo(Long.parseLong(trafficBefore.get(1)) + 3);
    assertThat(Double.parseDouble(trafficAfter.get(0))).as(traffic.output()).isPositive();
    assertThat(trafficAfter.get(4)).as(traffic.output()).endsWith("ms");
    assertThat(trafficAfter.get(5)).as(traffic.output()).matches("[0-9.]+m?s");
    assertThat(traffic.output()).contains("traffic: the last 5m in the router");

    Path changed = home.resolve("minilm-v2.yaml");
    Files.writeString(
        changed,
        Files.readString(root.resolve("deploy/examples/minilm.yaml"))
            .replace("threadsPerWorker: 2", "threadsPerWorker: 1"));
    Run deploy = serval(Duration.ofMinutes(3), "deploy", changed.toString());
    assertThat(deploy.exit()).as(deploy.output()).isZero();
    assertThat(deploy.output())
        .containsSubsequence("minilm: new revision", "rolling out", "minilm: ready: revision");

    Run logs = serval(Duration.ofMinutes(1), "logs", "minilm", "-n", "50");
    assertThat(logs.exit()).as(logs.output()).isZero();
    assertThat(logs.output()).contains("minilm-").contains("predictor-service");

    // specs survive down and up: the API comes back on its own
    Run firstDown = serval(Duration.ofMinutes(2), "down");
    assertThat(firstDown.exit()).as(firstDown.output()).isZero();
    assertThat(PortProbe.busy(ports.described().keySet())).as("ports after down").isEmpty();
    Run upAgain = serval(Duration.ofMinutes(3), "up");
    assertThat(upAgain.exit()).as(upAgain.output()).isZero();
    assertThat(upAgain.output()).contains("Serval is up:");
    Run kept = serval(Duration.ofMinutes(1), "get", "minilm", "-o", "yaml");
    assertThat(kept.exit()).as(kept.output()).isZero();
    assertThat(kept.output()).contains("name: minilm", "threadsPerWorker: 1");

    // The applied spec round-trips through the real operator: deploying what get -o yaml printed
    // changes nothing, and diff agrees.
    Path applied = home.resolve("minilm-applied.yaml");
    Files.writeString(applied, kept.output());
    Run same = serval(Duration.ofMinutes(1), "deploy", applied.toString());
    assertThat(same.exit()).as(same.output()).isZero();
    assertThat(same.output()).contains("minilm: unchanged", "nothing changed");
    Run noDiff = serval(Duration.ofMinutes(1), "diff", applied.toString());
    assertThat(noDiff.exit()).as(noDiff.output()).isZero();
    assertThat(noDiff.output()).contains("RealtimeApi minilm: unchanged");

    // A dry run of a change names the field and makes no new revision; diff says the same.
    Path threads = home.resolve("minilm-threads.yaml");
    Files.writeString(threads, kept.output().replace("threadsPerWorker: 1", "threadsPerWorker: 2"));
    Run dry = serval(Duration.ofMinutes(1), "deploy", "--dry-run", threads.toString());
    assertThat(dry.exit()).as(dry.output()).isZero();
    assertThat(dry.output())
        .contains("RealtimeApi minilm: new revision", "spec.predictor.threadsPerWorker: 1 → 2")
        .contains("dry run: nothing was applied");
    Run diff = serval(Duration.ofMinutes(1), "diff", threads.toString());
    assertThat(diff.exit()).as(diff.output()).isEqualTo(1);
    assertThat(diff.output()).contains("spec.predictor.threadsPerWorker: 1 → 2");
    Run still = serval(Duration.ofMinutes(1), "get", "minilm", "-o", "yaml");
    assertThat(still.output()).isEqualTo(kept.output());

    Run delete = serval(Duration.ofMinutes(1), "delete", "minilm");
    assertThat(delete.exit()).as(delete.output()).isZero();
    Run empty = serval(Duration.ofMinutes(1), "get");
    assertThat(empty.output()).contains("nothing is deployed");

    assertThat(seen).as("platform processes seen").hasSizeGreaterThanOrEqualTo(3);
    Run down = serval(Duration.ofMinutes(2), "down");
    assertThat(down.exit()).as(down.output()).isZero();
    assertThat(down.output()).contains("Serval is down");

    assertThat(seen)
        .allSatisfy(h -> assertThat(h.isAlive()).as("pid %d still alive", h.pid()).isFalse());
    assertThat(leftoversByHome()).isEmpty();
    assertThat(PortProbe.busy(ports.described().keySet())).as("ports still busy").isEmpty();
  }

  private static List<ProcessHandle> leftoversByHome() {
    return LocalPlatforms.byHome(home);
  }

  /** The last six cells of minilm's row in `serval get`: REQ/S, 2XX, 4XX, 5XX, P50, P99. */
  private static List<String> trafficCells(String getOutput) {
    for (String line : getOutput.split("\n")) {
      if (line.startsWith("minilm ")) {
        String[] cells = line.trim().split("\\s+");
        return Arrays.asList(cells).subList(cells.length - 6, cells.length);
      }
    }
    throw new AssertionError("no row for minilm in:\n" + getOutput);
  }

  @AfterAll
  static void killEverything() throws Exception {
    recordPlatformProcesses();
    boolean anyAlive =
        seen.stream().anyMatch(ProcessHandle::isAlive) || !leftoversByHome().isEmpty();
    if (anyAlive) {
      try {
        serval(Duration.ofSeconds(60), "down", "--grace", "5s");
      } catch (AssertionError | IOException e) {
        // fall through to the kills below
      }
    }
    seen.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    leftoversByHome().forEach(ProcessHandle::destroyForcibly);
    TempDirs.delete(home);
  }
}
