package io.serval.bench.start;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartLogTest {
  private static final long LAUNCH =
      LocalDateTime.parse("2026-12-05T03:24:28.000").toInstant(ZoneOffset.UTC).toEpochMilli();

  @Test
  void phasesOfTheCurrentPredictorLog() {
    List<String> lines =
        List.of(
            "WARNING: A terminally deprecated method in sun.misc.Unsafe has been called",
            "2026-12-05 03:24:31.689 WARN  [io.qu.gr.ru.GrpcServerRecorder] (main) Using legacy gRPC",
            "2026-12-05 03:24:31.944 INFO  [io.se.pr.in.InferenceEngine] (main) Warm-up of model"
                + " 'minilm' with synthetic inputs ran on worker 0 in 2 ms",
            "2026-12-05 03:24:31.950 INFO  [io.se.pr.in.InferenceEngine] (main) Warm-up of model"
                + " 'minilm' with synthetic inputs ran on worker 1 in 3 ms",
            "2026-12-05 03:24:32.256 INFO  [io.se.pr.ru.PredictorRuntime] (main) Model 'minilm'"
                + " loaded from /m/all-minilm-l6-v2-q.onnx in 465 ms (1 workers x 1 threads)",
            "2026-12-05 03:24:32.289 INFO  [io.se.pr.ru.PredictorRuntime] (main) Model 'minilm'"
                + " ready 3849 ms after process start: JVM and Quarkus 3351 ms, ONNX Runtime"
                + " library 553 ms while Quarkus started (waited 0 ms), model fetch 0 ms, sessions"
                + " 154 ms, warm-up 3 ms, metrics 305 ms",
            "2026-12-05 03:24:32.574 INFO  [io.quarkus] (main) predictor-service 0.1.0-SNAPSHOT on"
                + " JVM (powered by Quarkus 3.30.1) started in 3.613s. Listening on: http://x");
    StartLog log = StartLog.parse(lines, LAUNCH, ZoneOffset.UTC);
    // main = 32.574 - 3.613 = 28.961 -> 961 ms after launch
    assertThat(log.main()).isEqualTo(961);
    assertThat(log.started()).isEqualTo(4574);
    // load began at 32.256 - 0.465 = 31.791
    assertThat(log.boot()).isEqualTo(31_791 - 28_961);
    assertThat(log.model()).isEqualTo(465);
    assertThat(log.warmup()).isEqualTo(5);
    assertThat(log.sessions()).isEqualTo(154);
    assertThat(log.ortLibrary()).isEqualTo(553);
    assertThat(log.after()).isEqualTo(318);
  }

  @Test
  void anOlderLogWithoutTheReportLeavesSessionsUnknown() {
    List<String> lines =
        List.of(
            "2026-12-05 03:24:30.000 INFO  [x] (main) Model 'minilm' loaded from /m.onnx in 800 ms"
                + " (1 workers x 1 threads)",
            "2026-12-05 03:24:31.000 INFO  [io.quarkus] (main) p on JVM started in 2.500s.");
    StartLog log = StartLog.parse(lines, LAUNCH, ZoneOffset.UTC);
    assertThat(log.sessions()).isEqualTo(-1);
    assertThat(log.ortLibrary()).isEqualTo(-1);
    assertThat(log.warmup()).isZero();
    assertThat(log.main()).isEqualTo(500);
  }

  @Test
  void aLogThatNeverStartedIsAnError() {
    assertThatThrownBy(
            () ->
                StartLog.parse(
                    List.of("2026-12-05 03:24:30.000 ERROR [x] (main) Failed to start"),
                    LAUNCH,
                    ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("started in");
  }
}
