package io.serval.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** down against real processes: well-behaved ones, one that ignores SIGTERM, a stray replica. */
class PlatformStopperTest {

  @TempDir Path homeDir;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(Process::destroyForcibly);
  }

  private ProcessHandle spawn(String script) throws IOException {
    Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    started.add(p);
    return p.toHandle();
  }

  private static PlatformState.ServiceProcess record(ProcessHandle h) {
    return new PlatformState.ServiceProcess(h.pid(), Processes.startOf(h), "log");
  }

  @Test
  void stopsServicesAndStrayReplicasGracefullyThenByForce() throws IOException {
    ServalHome home = new ServalHome(homeDir);
    ProcessHandle router = spawn("exec sleep 60");
    ProcessHandle autoscaler = spawn("exec sleep 60");
    // an operator that ignores SIGTERM must be killed after the grace period
    ProcessHandle operator = spawn("trap '' TERM; while true; do sleep 0.05; done");
    ProcessHandle replica = spawn("exec sleep 60");
    Path rec = home.replicasDir().resolve("m").resolve("m-r1-0.json");
    Files.createDirectories(rec.getParent());
    Files.writeString(
        rec,
        "{\"id\":\"m-r1-0\",\"pid\":%d,\"processStart\":\"%s\"}"
            .formatted(replica.pid(), Processes.startOf(replica)));
    new PlatformState(
            "/repo",
            Ports.withOffset(23000),
            Map.of(
                PlatformLayout.ROUTER, record(router),
                PlatformLayout.AUTOSCALER, record(autoscaler),
                PlatformLayout.OPERATOR, record(operator)))
        .write(home.platformFile());
    StringWriter out = new StringWriter();

    var result = new PlatformStopper(home, new PrintWriter(out)).down(Duration.ofMillis(500));

    assertThat(List.of(router, autoscaler, operator, replica))
        .allSatisfy(h -> assertThat(h.isAlive()).as("pid %d", h.pid()).isFalse());
    assertThat(result.stopped()).isEqualTo(4);
    assertThat(result.forced()).isEqualTo(1);
    assertThat(out.toString())
        .containsSubsequence("stopping router", "stopping autoscaler", "stopping operator")
        .contains("killed (did not stop within 500 ms)");
    PlatformState after = PlatformState.read(home.platformFile()).orElseThrow();
    assertThat(after.services()).isEmpty();
    assertThat(after.ports()).isEqualTo(Ports.withOffset(23000));
  }

  @Test
  void nothingRecordedMeansNothingToStop() {
    var result =
        new PlatformStopper(new ServalHome(homeDir), new PrintWriter(new StringWriter()))
            .down(Duration.ofMillis(100));

    assertThat(result.stopped()).isZero();
  }
}
