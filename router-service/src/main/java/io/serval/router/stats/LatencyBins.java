package io.serval.router.stats;

/**
 * Log-scale latency bins: four per doubling, from 1 µs to about 70 minutes, so that a percentile
 * read from them is at most 19% above the true value, in a fixed 128 counters.
 */
final class LatencyBins {
  static final int COUNT = 128;
  private static final int PER_DOUBLING = 4;

  private LatencyBins() {}

  /** The bin of a latency. */
  static int of(long nanos) {
    double micros = Math.max(1.0, nanos / 1_000.0);
    int bin = (int) (PER_DOUBLING * (Math.log(micros) / Math.log(2)));
    return Math.min(COUNT - 1, Math.max(0, bin));
  }

  /** The upper bound of a bin, in milliseconds. */
  static double upperMillis(int bin) {
    return Math.pow(2, (bin + 1) / (double) PER_DOUBLING) / 1_000.0;
  }

  /**
   * The bin holding quantile {@code q} of the counts, as its upper bound in milliseconds; NaN when
   * the counts are empty.
   */
  static double quantileMillis(long[] counts, long total, double q) {
    if (total == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return upperMillis(i);
      }
    }
    return upperMillis(counts.length - 1);
  }
}
