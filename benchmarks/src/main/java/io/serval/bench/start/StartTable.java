package io.serval.bench.start;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The cold-start table: per phase and variant the median over launches, with min and max, and the
 * ratio of each variant's median to the first variant's (the baseline of the same run).
 */
public final class StartTable {
  /** The rows: a label and how to read the value from a launch (negative = unknown). */
  static final Map<String, ToDoubleFunction<LaunchResult>> ROWS = new LinkedHashMap<>();

  static {
    ROWS.put("launch → Quarkus main (JVM start)", r -> r.log().main());
    ROWS.put("Quarkus main → model load (Quarkus init)", r -> r.log().boot());
    ROWS.put("model load (all of it)", r -> r.log().model());
    ROWS.put(
        "  ONNX Runtime library (preloaded in parallel when shown)", r -> r.log().ortLibrary());
    ROWS.put("  sessions", r -> r.log().sessions());
    ROWS.put("  warm-up", r -> r.log().warmup());
    ROWS.put("model loaded → Quarkus started", r -> r.log().after());
    ROWS.put("launch → Quarkus started", r -> r.log().started());
    ROWS.put("**launch → ready (health 200 seen)**", LaunchResult::ready);
    ROWS.put("CPU of the predictor to ready", LaunchResult::cpu);
    ROWS.put("first request after ready", LaunchResult::firstRequest);
    ROWS.put("steady request (median of the next ones)", LaunchResult::steadyRequest);
  }

  private StartTable() {}

  /** The markdown table of {@code results} for {@code variants}, in that order. */
  public static String markdown(List<String> variants, List<LaunchResult> results) {
    StringBuilder b = new StringBuilder("| ms: p50 (min–max) |");
    for (int i = 0; i < variants.size(); i++) {
      b.append(' ').append(variants.get(i)).append(" |");
      if (i > 0) {
        b.append(" ×").append(variants.getFirst()).append(" |");
      }
    }
    b.append("\n|---|");
    b.append("---|".repeat(Math.max(1, 2 * variants.size() - 1)));
    b.append('\n');
    for (Map.Entry<String, ToDoubleFunction<LaunchResult>> row : ROWS.entrySet()) {
      b.append("| ").append(row.getKey()).append(" |");
      double base = Double.NaN;
      for (int i = 0; i < variants.size(); i++) {
        double[] v = values(results, variants.get(i), row.getValue());
        double p50 = median(v);
        if (i == 0) {
          base = p50;
        }
        b.append(' ').append(cell(v, p50)).append(" |");
        if (i > 0) {
          b.append(' ').append(ratio(p50, base)).append(" |");
        }
      }
      b.append('\n');
    }
    return b.toString();
  }

  static double[] values(
      List<LaunchResult> results, String variant, ToDoubleFunction<LaunchResult> f) {
    List<Double> out = new ArrayList<>();
    for (LaunchResult r : results) {
      double v = f.applyAsDouble(r);
      if (r.variant().equals(variant) && v >= 0 && !Double.isNaN(v)) {
        out.add(v);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The median (mean of the middle two for an even count); NaN when empty. */
  static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  private static String cell(double[] v, double p50) {
    if (v.length == 0) {
      return "–";
    }
    double min = Arrays.stream(v).min().orElseThrow();
    double max = Arrays.stream(v).max().orElseThrow();
    return fmt(p50) + " (" + fmt(min) + "–" + fmt(max) + ")";
  }

  private static String ratio(double value, double base) {
    if (Double.isNaN(value) || Double.isNaN(base) || base == 0) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.2f", value / base);
  }

  private static String fmt(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
