package io.serval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.cli.exit.ExitCode;
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
 * {@code serval up --example} with an API key on the router, through the launcher script and the
 * packaged services: the example's route check and prediction carry the key, and predict works with
 * the key and is refused without it, over REST and gRPC.
 */
class ServalUpApiKeyIT {

  static final String KEY = "it-key-7f3a";

  static Path root;
  static Path home;
  static Ports ports;
  static int offset;
  static final Set<ProcessHandle> seen = new HashSet<>();

  record Run(int exit, String output) {}

  @BeforeAll
  static void setUp() throws IOException {
    root = Path.of(System.getProperty("serval.root", "..")).toAbsolutePath().normalize();
    home = Files.createTempDirectory("serval-key-it");
    offset = LocalPlatforms.freeOffset();
    ports = Ports.withOffset(offset);
  }

  private static Run serval(Duration max, Map<String, String> extraEnv, String... args)
      throws IOException, InterruptedException {
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
    env.putAll(extraEnv);
    Process p = pb.start();
    if (!p.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(
          "serval " + String.join(" ", args) + " ran past " + max + ":\n" + Files.readString(log));
    }
    LocalPlatforms.collectProcesses(home, seen);
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void upExampleWithAKeyServesOnlyCallersThatSendIt() throws Exception {
    Map<String, String> withKey = Map.of("SERVAL_API_KEY", KEY);
    Run up =
        serval(Duration.ofMinutes(4), withKey, "up", "--example", "--port-offset", "" + offset);
    assertThat(up.exit()).as(up.output()).isZero();
    assertThat(up.output())
        .contains("minilm: ready: revision", "last_hidden_state FP32 [1,4,384]")
        .contains("Authorization: Bearer $SERVAL_API_KEY")
        .doesNotContain(KEY);

    String json =
        "{\"inputs\": [{\"name\": \"input_ids\", \"datatype\": \"INT64\", \"shape\": [1, 3],"
            + " \"data\": [101, 7592, 102]}, {\"name\": \"attention_mask\", \"datatype\":"
            + " \"INT64\", \"shape\": [1, 3], \"data\": [1, 1, 1]}, {\"name\": \"token_type_ids\","
            + " \"datatype\": \"INT64\", \"shape\": [1, 3], \"data\": [0, 0, 0]}]}";
    Run anonymous = serval(Duration.ofMinutes(1), Map.of(), "predict", "minilm", "--json", json);
    assertThat(anonymous.exit()).as(anonymous.output()).isEqualTo(ExitCode.UNAUTHORIZED);
    assertThat(anonymous.output()).contains("401", "--api-key");
    Run anonymousGrpc =
        serval(Duration.ofMinutes(1), Map.of(), "predict", "minilm", "--grpc", "--json", json);
    assertThat(anonymousGrpc.exit()).as(anonymousGrpc.output()).isEqualTo(ExitCode.UNAUTHORIZED);
    assertThat(anonymousGrpc.output()).contains("UNAUTHENTICATED");

    Run keyed = serval(Duration.ofMinutes(1), withKey, "predict", "minilm", "--json", json);
    assertThat(keyed.exit()).as(keyed.output()).isZero();
    assertThat(keyed.output()).contains("\"shape\":[1,3,384]", "served by minilm/");
    Run keyedGrpc =
        serval(
            Duration.ofMinutes(1),
            Map.of(),
            "predict",
            "minilm",
            "--grpc",
            "--api-key",
            KEY,
            "--json",
            json);
    assertThat(keyedGrpc.exit()).as(keyedGrpc.output()).isZero();
    assertThat(keyedGrpc.output()).contains("\"shape\":[1,3,384]");

    Run down = serval(Duration.ofMinutes(2), Map.of(), "down");
    assertThat(down.exit()).as(down.output()).isZero();
    assertThat(PortProbe.busy(ports.described().keySet())).as("ports after down").isEmpty();
  }

  @AfterAll
  static void killEverything() throws Exception {
    LocalPlatforms.collectProcesses(home, seen);
    if (seen.stream().anyMatch(ProcessHandle::isAlive) || !LocalPlatforms.byHome(home).isEmpty()) {
      try {
        serval(Duration.ofSeconds(60), Map.of(), "down", "--grace", "5s");
      } catch (AssertionError | IOException e) {
        // fall through to the kills below
      }
    }
    seen.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    LocalPlatforms.byHome(home).forEach(ProcessHandle::destroyForcibly);
    TempDirs.delete(home);
  }
}
