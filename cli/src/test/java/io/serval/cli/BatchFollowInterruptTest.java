package io.serval.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.serval.cli.batch.FollowGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C while following a job: the CLI runs in a JVM of its own (a signal ends the JVM), gets a
 * real SIGINT, and must leave the job running (no DELETE) and say how to follow it again.
 */
class BatchFollowInterruptTest {

  static final String ID = BatchCommandTest.ID;

  FakePlatform router;
  Path dir;
  Process cli;

  @BeforeEach
  void start() throws IOException {
    router = new FakePlatform();
    dir = Files.createTempDirectory("serval-batch-sigint");
  }

  @AfterEach
  void stop() {
    if (cli != null) {
      cli.destroyForcibly();
    }
    router.close();
    TempDirs.delete(dir);
  }

  @Test
  void ctrlCLeavesTheJobRunningAndSaysHowToFollowItAgain() throws Exception {
    router.on("GET /v1/jobs/" + ID, 200, BatchCommandTest.job("running", 100, 40, 0));
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    cli =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Dserval.home=" + dir,
                    "-cp",
                    System.getProperty("java.class.path"),
                    ServalMain.class.getName(),
                    "batch",
                    "get",
                    ID,
                    "--wait",
                    "--interval",
                    "50ms",
                    "--router-url",
                    router.url()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    await("the CLI follows the job")
        .atMost(Duration.ofSeconds(60))
        .failFast(() -> !cli.isAlive())
        .until(() -> Files.readString(out).contains("running 40/100"));

    Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(cli.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(cli.waitFor(30, TimeUnit.SECONDS)).as("the CLI ends on SIGINT").isTrue();

    assertThat(Files.readString(err)).contains(FollowGuard.message(ID));
    assertThat(FollowGuard.message(ID)).contains("serval batch get " + ID + " --wait");
    assertThat(router.requests).isNotEmpty().noneMatch(q -> q.method().equals("DELETE"));
  }
}
