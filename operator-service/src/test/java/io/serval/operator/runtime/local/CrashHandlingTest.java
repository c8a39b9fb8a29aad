package io.serval.operator.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a dead replica is named and restarted: pure pieces, on a fake clock. */
class CrashHandlingTest {

  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

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
  void aCrashReportOfAnEarlierRunIsNotBlamedForTheLatestDeath() {
    List<String> log = new java.util.ArrayList<>(JVM_SIGFPE);
    log.add(LocalReplicaManager.START_MARKER + "m-x-0 (revision r) at 2026-12-04T19:00:02Z");
    log.add("started again");
    assertThat(ExitSignal.describe(Optional.of(137), LocalReplicaManager.sinceLastStart(log)))
        .isEqualTo("died of SIGKILL (exit 137)");
    assertThat(LocalReplicaManager.sinceLastStart(JVM_SIGFPE)).isEqualTo(JVM_SIGFPE);
  }

  @Test
  void restartsBackOffExponentiallyUpToTheCapAndStartOverOnceStable() {
    RestartSchedule s =
        new RestartSchedule(
            new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5)),
            Duration.ofSeconds(60));
    Instant t = t0;
    assertThat(s.died(t, "died of SIGFPE (exit 134)")).isEqualTo(t.plusSeconds(1));
    assertThat(s.lastCrash()).isEqualTo("died of SIGFPE (exit 134)");
    // Ready again, but not for long enough: the next death keeps counting.
    s.ready(t = t.plusSeconds(5));
    assertThat(s.settle(t = t.plusSeconds(59))).isFalse();
    assertThat(s.died(t, "died of SIGSEGV (exit 139)")).isEqualTo(t.plusSeconds(2));
    assertThat(s.died(t, "x")).isEqualTo(t.plusSeconds(4));
    assertThat(s.died(t, "x")).isEqualTo(t.plusSeconds(5));
    assertThat(s.died(t, "died of SIGFPE (exit 134)")).as("capped").isEqualTo(t.plusSeconds(5));
    assertThat(s.deaths()).isEqualTo(5);
    // Ready, then not ready: the stable period starts again at the next ready.
    s.ready(t = t.plusSeconds(10));
    s.notReady();
    s.ready(t = t.plusSeconds(30));
    assertThat(s.settle(t.plusSeconds(59))).isFalse();
    assertThat(s.lastCrash()).isEqualTo("died of SIGFPE (exit 134)");
    assertThat(s.settle(t = t.plusSeconds(60))).isTrue();
    assertThat(s.deaths()).isZero();
    assertThat(s.lastCrash()).isNull();
    assertThat(s.settle(t.plusSeconds(120))).as("nothing left to forget").isFalse();
    assertThat(s.died(t, "x")).as("back to the initial backoff").isEqualTo(t.plusSeconds(1));
  }
}
