package io.serval.operator.runtime.local.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replica log files: start markers, rotation, crash-report pruning, tails. */
class ReplicaLogsTest {

  @TempDir Path dir;

  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void eachRunIsMarkedAndOnlyTheLatestRunCountsForTheCrashReport() throws Exception {
    ReplicaLogs logs = new ReplicaLogs(dir);
    Path log = logs.beginRun("m", "m-r1-0", "r1", t0);
    assertThat(log).isEqualTo(dir.resolve("m").resolve("m-r1-0.log"));
    Files.writeString(
        log, "#  SIGFPE (0x8) at pc=0x1, pid=1, tid=2\n", java.nio.file.StandardOpenOption.APPEND);
    logs.beginRun("m", "m-r1-0", "r1", t0.plusSeconds(1));
    Files.writeString(log, "second run\n", java.nio.file.StandardOpenOption.APPEND);

    assertThat(Files.readAllLines(log))
        .containsExactly(
            "--- serval: starting replica m-r1-0 (revision r1) at 2026-01-01T00:00:00Z",
            "#  SIGFPE (0x8) at pc=0x1, pid=1, tid=2",
            "--- serval: starting replica m-r1-0 (revision r1) at 2026-01-01T00:00:01Z",
            "second run");
    assertThat(ReplicaLogs.lastRun(log)).containsExactly("second run");
    assertThat(ReplicaLogs.lastRun(dir.resolve("missing.log"))).isEmpty();
  }

  @Test
  void aLargeLogIsRotatedWhenTheReplicaStarts() throws Exception {
    ReplicaLogs logs = new ReplicaLogs(dir);
    Path log = logs.beginRun("m", "m-r1-0", "r1", t0);
    Files.write(log, new byte[(10 << 20) + 1]);
    logs.beginRun("m", "m-r1-0", "r1", t0.plusSeconds(1));
    assertThat(dir.resolve("m").resolve("m-r1-0.log.1")).hasSize((10 << 20) + 1);
    assertThat(Files.readAllLines(log)).hasSize(1);
    logs.beginRun("m", "m-r1-0", "r1", t0.plusSeconds(2));
    assertThat(Files.readAllLines(log)).as("small: appended, not rotated").hasSize(2);
  }

  @Test
  void keepsTheNewestThreeCrashReportsOfAReplica() throws Exception {
    ReplicaLogs logs = new ReplicaLogs(dir);
    Path apiDir = Files.createDirectories(dir.resolve("m"));
    for (int i = 1; i <= 5; i++) {
      Path report = Files.writeString(apiDir.resolve("m-r1-0-crash-pid" + i + ".txt"), "x");
      Files.setLastModifiedTime(report, FileTime.from(t0.plusSeconds(i)));
    }
    Path other = Files.writeString(apiDir.resolve("m-r1-1-crash-pid9.txt"), "x");

    assertThat(logs.crashReports("m", "m-r1-0"))
        .isEqualTo(apiDir.resolve("m-r1-0-crash-pid%p.txt"));
    try (var files = Files.list(apiDir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "m-r1-0-crash-pid3.txt",
              "m-r1-0-crash-pid4.txt",
              "m-r1-0-crash-pid5.txt",
              other.getFileName().toString());
    }
  }

  @Test
  void theTailOfAnApiHoldsTheLastLinesOfItsReplicasLogsEachNamed() throws Exception {
    ReplicaLogs logs = new ReplicaLogs(dir);
    Path apiDir = Files.createDirectories(dir.resolve("m"));
    Files.write(apiDir.resolve("m-r1-0.log"), List.of("a1", "a2", "a3"));
    Files.write(apiDir.resolve("m-r1-1.log"), List.of("b1", "b2"));
    Files.writeString(apiDir.resolve("m-r1-0.json"), "{}");

    assertThat(logs.tail("m", 3)).containsExactly("m-r1-0 | a3", "m-r1-1 | b1", "m-r1-1 | b2");
    assertThat(logs.tail("m", 10)).hasSize(5);
    assertThat(logs.tail("other", 10)).isEmpty();
  }
}
