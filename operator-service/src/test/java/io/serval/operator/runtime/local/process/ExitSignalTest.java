package io.serval.operator.runtime.local.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.operator.runtime.local.logs.ReplicaLogs;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a dead replica is named, from its exit code and the end of its log. */
class ExitSignalTest {

  /** The first lines HotSpot writes when ONNX Runtime's integer division by zero faults. */
  private static final List<String> JVM_SIGFPE =
      List.of(
          "2026-12-04 19:00:01,000 INFO  [io.se.pr.ru.PredictorRuntime] (main) Model 'm' loaded",
          "#",
          "# A fatal error has been detected by the Java Runtime Environment:",
          "#",
          "#  SIGFPE (0x8) at pc=0x00007f78d2389062, pid=10301, tid=10302",
          "#",
          "# Problematic frame:",
          "# C  [libonnxruntime.so+0x589062]");

  @Test
  void namesTheSignalFromTheJvmReportOrFromTheExitCode() {
    assertThat(ExitSignal.describe(Optional.of(134), JVM_SIGFPE))
        .isEqualTo("died of SIGFPE (exit 134)");
    assertThat(ExitSignal.describe(Optional.of(137), List.of("plain output")))
        .isEqualTo("died of SIGKILL (exit 137)");
    assertThat(ExitSignal.describe(Optional.of(136), List.of()))
        .isEqualTo("died of SIGFPE (exit 136)");
    assertThat(ExitSignal.describe(Optional.of(3), List.of("cannot load")))
        .isEqualTo("exited with code 3");
    assertThat(ExitSignal.describe(Optional.empty(), List.of())).isEqualTo("exited");
    assertThat(ExitSignal.fromExitCode(128 + 11)).contains("SIGSEGV");
    assertThat(ExitSignal.fromExitCode(1)).isEmpty();
    assertThat(ExitSignal.fromExitCode(128 + 64)).isEmpty();
  }

  @Test
  void aModelThatCannotBeLoadedIsNamedWithThePredictorsReason() {
    List<String> log =
        List.of(
            "2026-12-05 06:40:00,000 INFO  [io.qu.grpc] (main) gRPC server started",
            "2026-12-05 06:40:01,000 ERROR [io.se.pr.ru.PredictorRuntime] (main) Model load failed:"
                + " could not fetch model from s3://models/m.onnx: no such key: s3://models/m.onnx",
            "java.lang.RuntimeException: Failed to start quarkus",
            "\tat io.quarkus.runner.ApplicationImpl.doStart(Unknown Source)");

    assertThat(ExitSignal.describe(Optional.of(1), log))
        .isEqualTo(
            "could not load its model: could not fetch model from s3://models/m.onnx: no such key:"
                + " s3://models/m.onnx (exit 1)");
    assertThat(ExitSignal.describe(Optional.of(137), log))
        .as("a signal is still how it died")
        .isEqualTo("died of SIGKILL (exit 137)");
    assertThat(ExitSignal.modelLoadFailure(List.of("Model load failed: "))).isEmpty();
  }

  @Test
  void aCrashReportOfAnEarlierRunIsNotBlamedForTheLatestDeath() {
    List<String> log = new java.util.ArrayList<>(JVM_SIGFPE);
    log.add(ReplicaLogs.START_MARKER + "m-x-0 (revision r) at 2026-12-04T19:00:02Z");
    log.add("started again");
    assertThat(ExitSignal.describe(Optional.of(137), ReplicaLogs.sinceLastStart(log)))
        .isEqualTo("died of SIGKILL (exit 137)");
    assertThat(ReplicaLogs.sinceLastStart(JVM_SIGFPE)).isEqualTo(JVM_SIGFPE);
  }
}
