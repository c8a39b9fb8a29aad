package io.serval.bench.async;

import java.util.Arrays;

/**
 * Latencies of one path in one run, in nanoseconds, and their nearest-rank percentiles (the p-th
 * percentile is the smallest value that at least p% of the samples do not exceed).
 */
public final class Latencies {
  private long[] nanos = new long[64];
  private int size;

  public void add(long sample) {
    if (sample < 0) {
      throw new IllegalArgumentException("a latency cannot be negative: " + sample);
    }
    if (size == nanos.length) {
      nanos = Arrays.copyOf(nanos, size * 2);
    }
    nanos[size++] = sample;
  }

  /** Adds every sample of {@code other}. */
  public void addAll(Latencies other) {
    for (int i = 0; i < other.size; i++) {
      add(other.nanos[i]);
    }
  }

  public int count() {
    return size;
  }

  /** The nearest-rank percentile in milliseconds; NaN without samples. */
  public double percentileMillis(double p) {
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
    }
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(nanos, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return sorted[Math.max(0, rank - 1)] / 1e6;
  }
}
