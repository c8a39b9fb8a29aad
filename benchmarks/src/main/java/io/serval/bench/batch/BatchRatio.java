package io.serval.bench.batch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The batch harness's arithmetic: the realtime ramp's best, and batch against realtime. */
public final class BatchRatio {
  public static final String HEADER =
      "| round | path | work | items/s or req/s | notes |\n|---|---|---|---|---|\n";

  /** Issue 14's goal: batch throughput at least this share of realtime's best. */
  public static final double GOAL = 0.9;

  private BatchRatio() {}

  /** The concurrency with the highest throughput; the lower one on a tie. */
  public static int bestConcurrency(Map<Integer, Double> ramp) {
    if (ramp.isEmpty()) {
      throw new IllegalArgumentException("an empty ramp has no best");
    }
    int best = -1;
    double rate = -1;
    for (Map.Entry<Integer, Double> e : ramp.entrySet()) {
      if (e.getValue() > rate || (e.getValue() == rate && e.getKey() < best)) {
        best = e.getKey();
        rate = e.getValue();
      }
    }
    return best;
  }

  public static String formatRamp(Map<Integer, Double> ramp) {
    StringBuilder s = new StringBuilder();
    ramp.forEach(
        (c, r) ->
            s.append(s.isEmpty() ? "" : ", ")
                .append(String.format(Locale.ROOT, "c=%d %.1f/s", c, r)));
    return s.toString();
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Medians of both, their ratio, and whether it meets {@link #GOAL}. */
  public static String verdict(List<Double> realtime, List<Double> batch) {
    double r = median(realtime);
    double b = median(batch);
    double ratio = b / r;
    return String.format(
        Locale.ROOT,
        "batch / realtime best (medians): %.1f / %.1f = %.3f (goal >= %.1f: %s)",
        b,
        r,
        ratio,
        GOAL,
        ratio >= GOAL ? "met" : "missed");
  }
}
