package io.serval.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.serval.cli.platform.PortProbe;
import io.serval.cli.platform.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs every command of README.md, in the README's order, as a new user would: each fenced {@code
 * ```bash} block is read from the README itself (not copied here) and run whole with {@code bash -e
 * -o pipefail} from the repository root; it must exit 0, and the blocks named in {@link
 * #EXPECTATIONS} must print what the README says they print.
 *
 * <p>The one change made to the commands ({@link ReadmeBlocks#shift}): everything moves to ports
 * shifted by a free offset, so that a developer's own platform and other tests are left alone.
 * {@code localhost:80xx} becomes {@code localhost:(80xx + offset)}, {@code ./serval up} gets {@code
 * --port-offset offset} (the other verbs then find the ports in platform.json), and {@code
 * ./predictor} gets {@code --http-port}/{@code --grpc-port} 8000/8001 plus offset. The blocks run
 * with {@code SERVAL_HOME} set to a fresh temporary directory and no other {@code SERVAL_*} or
 * {@code QUARKUS_*} variable.
 *
 * <p>Blocks not run: {@code ./mvnw verify}, the test command itself (it runs this test), and blocks
 * under {@code <!-- not run: reason -->}, which are allowed only for commands that need a
 * Kubernetes cluster ({@code helm}, {@code kubectl}), a container registry (an image push) or a GPU
 * ({@code -Pgpu}, {@code --gpu}); any other skipped block fails the test. A block under {@code <!--
 * run by .ci/run: reason -->} (the images: root, debootstrap, podman) is run by CI's script
 * instead, and every one of its commands must be a line of .ci/run. A block under {@code <!-- runs
 * in the background until ready: URL -->} (a server in the foreground, like {@code ./predictor}) is
 * started in the background; the next block runs once URL answers 200, and the server is stopped at
 * the end.
 *
 * <p>At the end no process the README started is alive and every port it used is free.
 */
class ReadmeCommandsIT {

  static Path root;
  static Path home;
  static int offset;
  static Ports ports;

  /** Processes of the platform (services and replicas) seen during the test. */
  static final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();

  /** Background blocks with the processes seen under them. */
  static final Map<Process, Set<ProcessHandle>> background = new LinkedHashMap<>();

  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  /** The README's test command: excluded because it is what runs this test. */
  static final String TEST_COMMAND = "./mvnw verify";

  /**
   * What may stay unrun here: commands that need a Kubernetes cluster, a container registry (a
   * push) or a GPU.
   */
  static final Pattern NEEDS_CLUSTER_OR_GPU =
      Pattern.compile(
          "^(helm |kubectl |.*(-Pgpu|--gpu |-Dquarkus\\.container-image\\.push=true)).*");

  /**
   * A check on the output of the one block whose README text contains {@code key}.
   *
   * @param key a substring of the block as written in the README
   */
  record Expectation(String key, Consumer<String> check) {}

  static final List<Expectation> EXPECTATIONS =
      List.of(
          new Expectation(
              "./serval up --example",
              out ->
                  assertThat(out)
                      .contains("Serval is up:", "minilm: ready: revision")
                      .contains("last_hidden_state FP32 [1,4,384]")),
          new Expectation(
              "./serval deploy deploy/examples/minilm.yaml",
              out -> assertThat(out).containsPattern("minilm\\s+live\\s+1/1")),
          new Expectation(
              "./serval predict minilm --grpc",
              out -> {
                // once from curl (REST), once from predict --grpc
                assertThat(count(out, "\"name\":\"last_hidden_state\"")).isEqualTo(2);
                assertThat(count(out, "\"shape\":[1,4,384]")).isEqualTo(2);
                assertThat(out).contains("served by minilm/");
              }),
          new Expectation(
              "./serval deploy deploy/examples/splitter.yaml",
              out -> {
                assertThat(out)
                    .containsPattern("minilm-split\\s+live")
                    .contains("minilm-q 90%", "minilm-full 10%", "minilm-canary 5% (shadow)");
                String counts = out.toLowerCase(Locale.ROOT);
                assertThat(counts)
                    .containsPattern("\\d+ serval-revision: minilm-q")
                    .containsPattern("\\d+ serval-revision: minilm-full")
                    .doesNotContain("serval-revision: minilm-canary");
              }),
          new Expectation(
              "./serval delete minilm-split",
              out -> assertThat(out).contains("minilm-split", "minilm-canary")),
          new Expectation(
              "./serval deploy deploy/examples/minilm-v2.yaml",
              out ->
                  assertThat(out)
                      .containsSubsequence("minilm: new revision", "minilm: ready: revision")
                      .contains("all-minilm-l6-v2.onnx")),
          new Expectation(
              "./serval get minilm --watch",
              out -> {
                assertThat(out)
                    .as("REPLICAS (ready/requested) of minilm above 1 during the load")
                    .containsPattern("(?m)^minilm\\s+\\S+\\s+\\d+/[2-9]");
                assertThat(out)
                    .as("every request of the load answered 200")
                    .containsPattern("(?m)^\\s*\\d+ 200$")
                    .doesNotContainPattern("(?m)^\\s*\\d+ (000|[013-9]\\d\\d)$");
              }),
          new Expectation(
              "./serval batch submit minilm --input deploy/examples/minilm-batch.jsonl --output",
              out -> {
                // the async request's answer (its first 300 characters)
                assertThat(out).contains("{\"model_name\":\"minilm\"", "\"shape\":[1,4,384]");
                // submit followed to the end, then get --wait of the detached job
                assertThat(count(out, "succeeded: 8/8 items done, 8 succeeded, 0 failed"))
                    .isEqualTo(2);
                assertThat(out)
                    .contains("results: minilm-batch.results.jsonl")
                    .containsPattern("(?m)^\\s*8$")
                    .containsPattern("(?m)^status\\s+succeeded$")
                    .containsPattern("(?m)^[0-9a-f]{32}\\s+minilm\\s+succeeded\\s+8/8\\s+0\\s");
                // on a pipe: plain progress lines, no redrawing
                assertThat(out).doesNotContain("\r");
              }),
          new Expectation("./serval down", out -> assertThat(out).contains("Serval is down")),
          new Expectation(
              "localhost:8000/v2/models/minilm/infer",
              out ->
                  assertThat(out)
                      .contains("\"name\":\"minilm\"", "\"name\":\"last_hidden_state\"")
                      .contains("\"shape\":[1,4,384]")));

  @BeforeAll
  static void setUp() throws IOException {
    root = Path.of(System.getProperty("serval.root", "..")).toAbsolutePath().normalize();
    assertThat(root.resolve("serval")).as("the launcher script").isExecutable();
    home = Files.createTempDirectory("serval-readme-it");
    offset = LocalPlatforms.freeOffset(8000, 8001);
    ports = Ports.withOffset(offset);
  }

  @Test
  void everyCommandOfTheReadmeRuns() throws Exception {
    List<ReadmeBlocks.Block> blocks =
        ReadmeBlocks.parse(Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8));
    assertThat(blocks).as("```bash blocks of README.md").hasSizeGreaterThan(2);
    assertThat(blocks.get(0).code().strip())
        .as("the first command")
        .isEqualTo("./serval up --example");
    assertThat(blocks.get(1).code().strip()).as("the second command").isEqualTo(TEST_COMMAND);

    Map<Expectation, Integer> matched = new LinkedHashMap<>();
    List<String> summary = new ArrayList<>();
    for (ReadmeBlocks.Block block : blocks) {
      String where = "README.md:" + block.line();
      if (block.code().strip().equals(TEST_COMMAND)) {
        summary.add(where + " not run: the test command itself");
        continue;
      }
      if (block.ciRunReason().isPresent()) {
        // the images' commands need root and podman: CI's script runs them, word for word
        List<String> ciScript =
            Files.readAllLines(root.resolve(".ci/run")).stream().map(String::strip).toList();
        assertThat(block.code().lines().map(String::strip).filter(l -> !l.isBlank()))
            .as(where + ": every command of a block run by .ci/run is in .ci/run")
            .allMatch(ciScript::contains);
        summary.add(where + " run by .ci/run: " + block.ciRunReason().get());
        continue;
      }
      if (block.notRunReason().isPresent()) {
        assertThat(block.notRunReason().get())
            .as(where + ": the reason it is not run")
            .isNotBlank();
        assertThat(block.code().lines().filter(l -> !l.isBlank()))
            .as(where + ": only commands that need a cluster or a GPU may be left unrun")
            .allMatch(l -> NEEDS_CLUSTER_OR_GPU.matcher(l.strip()).matches());
        summary.add(where + " not run: " + block.notRunReason().get());
        continue;
      }
      String code = ReadmeBlocks.shift(block.code(), offset);
      if (block.backgroundReadyUrl().isPresent()) {
        startInBackground(
            where, code, ReadmeBlocks.shift(block.backgroundReadyUrl().get(), offset));
        summary.add(where + " started in the background");
        continue;
      }
      long started = System.nanoTime();
      Run run = bash(where, code, Duration.ofMinutes(5));
      LocalPlatforms.collectProcesses(home, seen);
      System.out.printf(
          "=== %s (%.1fs, exit %d)%n%s%n--- output%n%s%n",
          where, (System.nanoTime() - started) / 1e9, run.exit(), code, run.output());
      assertThat(run.exit())
          .as(where + " exited non-zero:\n" + code + "\n" + run.output())
          .isZero();
      for (Expectation e : EXPECTATIONS) {
        if (block.code().contains(e.key())) {
          matched.merge(e, 1, Integer::sum);
          e.check().accept(run.output());
        }
      }
      summary.add(where + " ran");
    }
    System.out.println(String.join("\n", summary));
    for (Expectation e : EXPECTATIONS) {
      assertThat(matched.getOrDefault(e, 0))
          .as("README blocks containing '" + e.key() + "'")
          .isEqualTo(1);
    }

    stopBackground();
    assertThat(seen).as("platform processes seen").hasSizeGreaterThanOrEqualTo(3);
    assertThat(seen)
        .allSatisfy(h -> assertThat(h.isAlive()).as("pid %d still alive", h.pid()).isFalse());
    assertThat(LocalPlatforms.byHome(home)).as("processes naming the state directory").isEmpty();
    assertThat(PortProbe.busy(allPorts())).as("ports still busy").isEmpty();
  }

  private static Set<Integer> allPorts() {
    Set<Integer> all = new HashSet<>(ports.described().keySet());
    all.add(8000 + offset);
    all.add(8001 + offset);
    return all;
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  record Run(int exit, String output) {}

  private static ProcessBuilder bashBuilder(String where, String code, Path log)
      throws IOException {
    Path script = Files.createTempFile(home, "block", ".sh");
    Files.writeString(script, "# " + where + "\n" + code);
    ProcessBuilder pb =
        new ProcessBuilder("bash", "-e", "-o", "pipefail", script.toString())
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("SERVAL_") || k.startsWith("QUARKUS_"));
    env.put("SERVAL_HOME", home.toString());
    env.put("SERVAL_JAVA_HOME", System.getProperty("java.home"));
    return pb;
  }

  private static Run bash(String where, String code, Duration max)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(home, "block", ".out");
    Process p = bashBuilder(where, code, log).start();
    if (!p.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(
          where + " ran past " + max + ":\n" + code + "\n" + Files.readString(log));
    }
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static void startInBackground(String where, String code, String readyUrl)
      throws IOException {
    Path log = Files.createTempFile(home, "background", ".out");
    Process p = bashBuilder(where, code, log).start();
    Set<ProcessHandle> under = ConcurrentHashMap.newKeySet();
    background.put(p, under);
    await(where + " ready at " + readyUrl)
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .failFast(where + " exited before it was ready", () -> !p.isAlive())
        .until(
            () -> {
              p.descendants().forEach(under::add);
              return answers200(readyUrl);
            });
    p.descendants().forEach(under::add);
    System.out.printf("=== %s started in the background, ready at %s%n%s%n", where, readyUrl, code);
  }

  private static boolean answers200(String url) {
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGTERM to each background block's processes, then SIGKILL to any still alive after 20s. */
  private static void stopBackground() {
    for (Map.Entry<Process, Set<ProcessHandle>> e : background.entrySet()) {
      e.getKey().descendants().forEach(e.getValue()::add);
      e.getValue().forEach(ProcessHandle::destroy);
      e.getKey().destroy();
    }
    try {
      await("background blocks stopped")
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  background.entrySet().stream()
                      .noneMatch(
                          e ->
                              e.getKey().isAlive()
                                  || e.getValue().stream().anyMatch(ProcessHandle::isAlive)));
    } catch (org.awaitility.core.ConditionTimeoutException late) {
      background.forEach(
          (p, under) -> {
            under.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
          });
    }
  }

  @AfterAll
  static void killEverything() throws Exception {
    stopBackground();
    LocalPlatforms.collectProcesses(home, seen);
    if (seen.stream().anyMatch(ProcessHandle::isAlive) || !LocalPlatforms.byHome(home).isEmpty()) {
      try {
        bash("cleanup", "./serval down --grace 5s\n", Duration.ofSeconds(60));
      } catch (AssertionError | IOException e) {
        // fall through to the kills below
      }
    }
    seen.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    LocalPlatforms.byHome(home).forEach(ProcessHandle::destroyForcibly);
    TempDirs.delete(home);
  }
}
