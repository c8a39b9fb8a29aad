package io.serval.predictor.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where a predictor's start went, as one log line: the time from process start to the model
 * loading, and the phases of the load. The cold-start harness reads it
 * (io.serval.bench.start.ColdStartBenchmark); people read it to see what a replica waits on.
 *
 * @param processStart when the process started, if the operating system says
 * @param loadStarted when the model load began (Quarkus's start-up event)
 * @param preloadNanos ONNX Runtime's native library and environment, loaded on its own thread while
 *     Quarkus started; -1 when it was loaded by the model load itself
 * @param awaitNanos how long the model load waited for that preload to finish
 * @param fetchNanos finding (or downloading) and checking the model file
 * @param sessionNanos opening the sessions
 * @param warmupNanos the warm-up runs
 * @param bindNanos registering the model's meters and building its V2 operations
 */
public record StartupReport(
    Optional<Instant> processStart,
    Instant loadStarted,
    long preloadNanos,
    long awaitNanos,
    long fetchNanos,
    long sessionNanos,
    long warmupNanos,
    long bindNanos) {

  /** The line, for the model {@code name} ready at {@code ready}. */
  public String line(String name, Instant ready) {
    StringBuilder b = new StringBuilder("Model '").append(name).append("' ready ");
    if (processStart.isPresent()) {
      b.append(millis(Duration.between(processStart.get(), ready)))
          .append(" ms after process start: JVM and Quarkus ")
          .append(millis(Duration.between(processStart.get(), loadStarted)))
          .append(" ms, ");
    } else {
      b.append(millis(Duration.between(loadStarted, ready)))
          .append(" ms after Quarkus's start-up event (process start unknown): ");
    }
    if (preloadNanos >= 0) {
      b.append("ONNX Runtime library ")
          .append(preloadNanos / 1_000_000)
          .append(" ms while Quarkus started (waited ")
          .append(awaitNanos / 1_000_000)
          .append(" ms), ");
    } else {
      b.append("ONNX Runtime library ").append(awaitNanos / 1_000_000).append(" ms, ");
    }
    return b.append("model fetch ")
        .append(fetchNanos / 1_000_000)
        .append(" ms, sessions ")
        .append(sessionNanos / 1_000_000)
        .append(" ms, warm-up ")
        .append(warmupNanos / 1_000_000)
        .append(" ms, metrics ")
        .append(bindNanos / 1_000_000)
        .append(" ms")
        .toString();
  }

  private static long millis(Duration d) {
    return d.toMillis();
  }
}
