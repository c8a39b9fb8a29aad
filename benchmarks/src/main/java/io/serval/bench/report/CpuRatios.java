package io.serval.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CPU ratio of each served point: in-process CPU per request over the predictor's plus the
 * client's CPU per request, the in-process side taken from the points measured next to it. It is
 * the throughput ratio a closed loop would reach if the predictor and the load generator had the
 * cores to themselves; on a shared machine, where neighbours move throughput by 2x, it is the
 * steadier figure.
 */
public final class CpuRatios {
  private CpuRatios() {}

  /**
   * One measured point's CPU per request.
   *
   * @param serverMicros the predictor's, or the in-process loop's for an in-process point
   * @param clientMicros the load generator's; 0 for an in-process point
   */
  public record Point(ResultRow row, double serverMicros, double clientMicros) {}

  /** One line per path, batching and concurrency of {@code model}: median, min, max over pairs. */
  public static String render(List<Point> points, String model) {
    Map<String, List<Double>> groups = new LinkedHashMap<>();
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      if (!p.row().model().equals(model) || Summary.isInproc(p.row()) || !(p.serverMicros() > 0)) {
        continue;
      }
      double sum = 0;
      int n = 0;
      for (int step : new int[] {-1, 1}) {
        for (int j = i + step; j >= 0 && j < points.size(); j += step) {
          Point other = points.get(j);
          if (other.row().model().equals(model)
              && Summary.isInproc(other.row())
              && other.row().concurrency() == p.row().concurrency()) {
            if (other.serverMicros() > 0) {
              sum += other.serverMicros();
              n++;
            }
            break;
          }
        }
      }
      if (n == 0) {
        continue;
      }
      String key =
          String.format(
              Locale.ROOT,
              "%s batching=%s c=%d",
              p.row().path(),
              p.row().batching(),
              p.row().concurrency());
      groups
          .computeIfAbsent(key, k -> new ArrayList<>())
          .add((sum / n) / (p.serverMicros() + p.clientMicros()));
    }
    StringBuilder out = new StringBuilder();
    groups.forEach(
        (key, ratios) -> {
          List<Double> sorted = ratios.stream().sorted().toList();
          int n = sorted.size();
          double median =
              n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
          out.append(
              String.format(
                  Locale.ROOT,
                  "- %s CPU ratio (in-process CPU / predictor + client CPU per request), %s:"
                      + " median %.3f (min %.3f, max %.3f, %d points)%n",
                  model,
                  key,
                  median,
                  sorted.get(0),
                  sorted.get(n - 1),
                  n));
        });
    return out.toString();
  }
}
