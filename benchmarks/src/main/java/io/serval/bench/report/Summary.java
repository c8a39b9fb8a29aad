package io.serval.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** The ratios the performance targets are stated in, computed from the result rows. */
public final class Summary {
  private static final int MLP_CONCURRENCY = 64;

  private Summary() {}

  public static String render(List<ResultRow> rows) {
    StringBuilder out = new StringBuilder("Summary\n");
    Optional<ResultRow> inproc = best(rows, r -> r.model().equals("minilm") && isInproc(r));
    Optional<ResultRow> served = best(rows, r -> r.model().equals("minilm") && !isInproc(r));
    if (inproc.isPresent() && served.isPresent()) {
      out.append(
          String.format(
              Locale.ROOT,
              "- MiniLM best predictor / in-process throughput: %.3f (%s %s batching=%s c=%d"
                  + " %.1f req/s vs inproc c=%d %.1f req/s)%n",
              served.get().result().throughput() / inproc.get().result().throughput(),
              "predictor",
              served.get().path(),
              served.get().batching(),
              served.get().concurrency(),
              served.get().result().throughput(),
              inproc.get().concurrency(),
              inproc.get().result().throughput()));
    } else {
      out.append(
          "- MiniLM predictor / in-process: not measured (needs minilm inproc and a served path)\n");
    }
    out.append(pairedRatios(rows, "minilm"));
    for (String path : List.of("grpc", "rest", "rest-bin")) {
      Optional<ResultRow> on = find(rows, "mlp", path, "on", MLP_CONCURRENCY);
      Optional<ResultRow> off = find(rows, "mlp", path, "off", MLP_CONCURRENCY);
      if (on.isPresent() && off.isPresent()) {
        out.append(
            String.format(
                Locale.ROOT,
                "- MLP batching on / off throughput at c=%d over %s: %.2f (%.1f vs %.1f req/s)%n",
                MLP_CONCURRENCY,
                path,
                on.get().result().throughput() / off.get().result().throughput(),
                on.get().result().throughput(),
                off.get().result().throughput()));
      }
    }
    out.append(pairedRatios(rows, "mlp"));
    out.append(modeRatios(rows));
    for (String path : List.of("inproc", "grpc", "rest")) {
      for (String batching : List.of("-", "off", "on")) {
        find(rows, "tiny", path, batching, 1)
            .ifPresent(
                row ->
                    out.append(
                        String.format(
                            Locale.ROOT,
                            "- tiny p50 at c=1 over %s (batching %s): %.0f µs (p99 %.0f µs)%n",
                            path,
                            batching,
                            row.result().p50Micros(),
                            row.result().p99Micros())));
      }
    }
    return out.toString();
  }

  /**
   * Each served point of a model over the in-process points measured next to it (the nearest one
   * before and the nearest one after, same concurrency, averaged), grouped by path, batching and
   * concurrency: on a shared machine only neighbouring points see the same load, so these ratios
   * are the ones to trust; "best / best" above compares points taken minutes apart.
   */
  static String pairedRatios(List<ResultRow> rows, String model) {
    Map<String, List<Double>> groups = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      ResultRow row = rows.get(i);
      if (!row.model().equals(model) || isInproc(row) || row.result().errors() > 0) {
        continue;
      }
      double sum = 0;
      int n = 0;
      for (int step : new int[] {-1, 1}) {
        for (int j = i + step; j >= 0 && j < rows.size(); j += step) {
          ResultRow other = rows.get(j);
          if (other.model().equals(model)
              && isInproc(other)
              && other.concurrency() == row.concurrency()) {
            sum += other.result().throughput();
            n++;
            break;
          }
        }
      }
      if (n == 0 || sum <= 0) {
        continue;
      }
      String key =
          String.format(
              Locale.ROOT, "%s batching=%s c=%d", row.path(), row.batching(), row.concurrency());
      groups
          .computeIfAbsent(key, k -> new ArrayList<>())
          .add(row.result().throughput() / (sum / n));
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
                  "- %s predictor / neighbouring in-process, %s: median %.3f (min %.3f, max %.3f,"
                      + " %d pairs)%n",
                  model.equals("minilm") ? "MiniLM" : model,
                  key,
                  median,
                  sorted.get(0),
                  sorted.get(n - 1),
                  n));
        });
    return out.toString();
  }

  /**
   * Batching gain with several predictor configurations in one run ({@code --batching
   * off,on:1x2:b64,off,...}): per model, path and concurrency, each configuration's median
   * throughput over its repeats, and each batching-on configuration over the best batching-off one
   * (the honest baseline: the best the same cores do without batching). Printed only when some
   * configuration was measured more than once or there are several of them.
   */
  static String modeRatios(List<ResultRow> rows) {
    Map<String, Map<String, List<Double>>> byPoint = new LinkedHashMap<>();
    for (ResultRow row : rows) {
      if (row.path().startsWith("inproc") || row.result().errors() > 0) {
        continue;
      }
      String point =
          String.format(Locale.ROOT, "%s %s c=%d", row.model(), row.path(), row.concurrency());
      byPoint
          .computeIfAbsent(point, k -> new LinkedHashMap<>())
          .computeIfAbsent(row.batching(), k -> new ArrayList<>())
          .add(row.result().throughput());
    }
    StringBuilder out = new StringBuilder();
    byPoint.forEach(
        (point, modes) -> {
          if (modes.size() < 2 && modes.values().stream().allMatch(v -> v.size() < 2)) {
            return;
          }
          String bestOff = null;
          double bestOffMedian = 0;
          for (Map.Entry<String, List<Double>> m : modes.entrySet()) {
            double median = median(m.getValue());
            out.append(
                String.format(
                    Locale.ROOT,
                    "- %s batching=%s: median %.1f req/s over %d repeats %s%n",
                    point,
                    m.getKey(),
                    median,
                    m.getValue().size(),
                    m.getValue().stream()
                        .map(v -> String.format(Locale.ROOT, "%.0f", v))
                        .toList()));
            if (m.getKey().startsWith("off") && median > bestOffMedian) {
              bestOff = m.getKey();
              bestOffMedian = median;
            }
          }
          if (bestOff == null) {
            return;
          }
          for (Map.Entry<String, List<Double>> m : modes.entrySet()) {
            if (m.getKey().startsWith("on")) {
              out.append(
                  String.format(
                      Locale.ROOT,
                      "- %s batching %s / best batching-off (%s): %.2f%n",
                      point,
                      m.getKey(),
                      bestOff,
                      median(m.getValue()) / bestOffMedian));
            }
          }
        });
    return out.toString();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static boolean isInproc(ResultRow row) {
    return row.path().startsWith("inproc");
  }

  private static Optional<ResultRow> best(List<ResultRow> rows, Predicate<ResultRow> filter) {
    return rows.stream()
        .filter(filter)
        .filter(r -> r.result().errors() == 0)
        .max((a, b) -> Double.compare(a.result().throughput(), b.result().throughput()));
  }

  private static Optional<ResultRow> find(
      List<ResultRow> rows, String model, String path, String batching, int concurrency) {
    return rows.stream()
        .filter(
            r ->
                r.model().equals(model)
                    && r.path().equals(path)
                    && r.batching().equals(batching)
                    && r.concurrency() == concurrency)
        .findFirst();
  }
}
