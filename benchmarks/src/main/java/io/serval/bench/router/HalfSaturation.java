package io.serval.bench.router;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the closed-loop concurrency whose throughput in a ramp came closest to half of the
 * saturation throughput: latency percentiles there describe a loaded but not queueing server.
 */
public final class HalfSaturation {
  /** The closed-loop concurrency taken as saturation: the ramp's top step. */
  public static final int SATURATION = 64;

  /** The ramp's steps, up to saturation. */
  public static final List<Integer> RAMP = List.of(1, 2, 4, 8, 16, 32, SATURATION);

  /** One measured step of the ramp. */
  @FunctionalInterface
  interface Step {
    /** Throughput (req/s) of the direct path at {@code concurrency}. */
    double throughput(int concurrency) throws IOException, InterruptedException;
  }

  private HalfSaturation() {}

  /** Measures every step of {@link #RAMP}, in order: throughput by concurrency. */
  static Map<Integer, Double> ramp(Step step) throws IOException, InterruptedException {
    Map<Integer, Double> ramp = new LinkedHashMap<>();
    for (int c : RAMP) {
      ramp.put(c, step.throughput(c));
    }
    return ramp;
  }

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
