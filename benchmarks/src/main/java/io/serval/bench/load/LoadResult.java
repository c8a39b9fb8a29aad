package io.serval.bench.load;

/**
 * What one load point measured.
 *
 * @param requests requests that completed successfully inside the measurement window
 * @param errors requests that failed (or never completed) inside the measurement window
 * @param elapsedNanos from the start of the measurement window to the last completion
 * @param p50Micros median latency of successful requests
 * @param p99Micros 99th percentile latency of successful requests
 * @param firstError message of the first failure, or null
 */
public record LoadResult(
    long requests,
    long errors,
    long elapsedNanos,
    double p50Micros,
    double p99Micros,
    double meanMicros,
    String firstError) {

  public double throughput() {
    return elapsedNanos <= 0 ? 0 : requests * 1e9 / elapsedNanos;
  }
}
