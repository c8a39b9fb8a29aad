package io.serval.router.routing;

import java.util.random.RandomGenerator;

/**
 * Picks an index with probability proportional to its weight (splitter targets by weight, rollout
 * revisions by traffic share). Weights need not sum to 100; zero weights are never picked.
 */
public final class WeightedPicker {
  private final double[] cumulative;
  private final double total;

  private WeightedPicker(double[] cumulative, double total) {
    this.cumulative = cumulative;
    this.total = total;
  }

  /**
   * @throws IllegalArgumentException when a weight is negative or not finite, or all are zero
   */
  public static WeightedPicker of(double... weights) {
    double[] cumulative = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      double w = weights[i];
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("weight " + w + " at index " + i + " must be >= 0");
      }
      sum += w;
      cumulative[i] = sum;
    }
    if (sum <= 0) {
      throw new IllegalArgumentException("at least one weight must be > 0");
    }
    return new WeightedPicker(cumulative, sum);
  }

  public int size() {
    return cumulative.length;
  }

  public int pick(RandomGenerator random) {
    if (cumulative.length == 1) {
      return 0;
    }
    double u = random.nextDouble() * total;
    for (int i = 0; i < cumulative.length; i++) {
      if (u < cumulative[i]) {
        return i;
      }
    }
    // u == total can only come from rounding: the last non-zero weight takes it.
    for (int i = cumulative.length - 1; i > 0; i--) {
      if (cumulative[i] > cumulative[i - 1]) {
        return i;
      }
    }
    return 0;
  }

  /**
   * Shadow targets are mirrored independently of the primary pick: each gets {@code percent} of the
   * splitter's requests.
   */
  public static boolean mirror(double percent, RandomGenerator random) {
    return percent >= 100 || random.nextDouble() * 100 < percent;
  }
}
