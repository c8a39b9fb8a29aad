package io.serval.bench.router;

import java.util.Map;

/**
 * Picks the closed-loop concurrency whose throughput in a ramp came closest to half of the
 * saturation throughput: latency percentiles there describe a loaded but not queueing server.
 */
public final class HalfSaturation {
  private HalfSaturation() {}

  /**
   * @param ramp throughput (req/s) measured at each concurrency
   * @param saturation the saturation throughput (req/s)
   * @return the concurrency closest to {@code saturation / 2} (the lower one on a tie)
   */
  public static int pick(Map<Integer, Double> ramp, double saturation) {
    if (ramp.isEmpty()) {
      throw new IllegalArgumentException("empty ramp");
    }
    double half = saturation / 2;
    int best = -1;
    double bestDistance = Double.MAX_VALUE;
    for (Map.Entry<Integer, Double> e : ramp.entrySet()) {
      double distance = Math.abs(e.getValue() - half);
      if (distance < bestDistance || (distance == bestDistance && e.getKey() < best)) {
        best = e.getKey();
        bestDistance = distance;
      }
    }
    return best;
  }
}
