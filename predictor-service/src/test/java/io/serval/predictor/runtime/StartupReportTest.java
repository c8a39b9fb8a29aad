package io.serval.predictor.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StartupReportTest {
  private static final Instant START = Instant.parse("2026-12-05T03:00:00Z");
  private static final long MS = 1_000_000;

  @Test
  void phasesAfterProcessStartWithThePreload() {
    StartupReport r =
        new StartupReport(
            Optional.of(START),
            START.plusMillis(700),
            60 * MS,
            0,
            1 * MS,
            75 * MS,
            18 * MS,
            30 * MS);
    assertThat(r.line("minilm", START.plusMillis(830)))
        .isEqualTo(
            "Model 'minilm' ready 830 ms after process start: JVM and Quarkus 700 ms, ONNX"
                + " Runtime library 60 ms while Quarkus started (waited 0 ms), model fetch 1 ms,"
                + " sessions 75 ms, warm-up 18 ms, metrics 30 ms");
  }

  @Test
  void withoutPreloadOrProcessStart() {
    StartupReport r =
        new StartupReport(Optional.empty(), START, -1, 300 * MS, 2 * MS, 80 * MS, 0, 10 * MS);
    assertThat(r.line("m", START.plusMillis(400)))
        .isEqualTo(
            "Model 'm' ready 400 ms after Quarkus's start-up event (process start unknown): ONNX"
                + " Runtime library 300 ms, model fetch 2 ms, sessions 80 ms, warm-up 0 ms,"
                + " metrics 10 ms");
  }
}
