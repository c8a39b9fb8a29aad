package io.serval.bench.router;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The router's overhead as its targets state it, from interleaved points: each figure is the median
 * over rounds of (proxied minus direct) taken within one round, because on a shared machine only
 * neighbouring points see the same load. Also the results table (markdown and CSV).
 */
public final class OverheadReport {
  static final double P50_TARGET_MICROS = 150;
  static final double P99_TARGET_MICROS = 1000;
  static final double NGINX_FACTOR_TARGET = 2;
  static final double SATURATION_RATIO_TARGET = 0.8;
  static final List<String> LOADS = List.of("c1", "half", "sat");

  private OverheadReport() {}

  /** Latency overhead of {@code via} over direct, in µs, medians over rounds. */
  public record Overhead(double p50Micros, double p99Micros, int rounds) {}

  public static Optional<Overhead> overhead(
      List<PathPoint> points, String protocol, String via, String load) {
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    for (PathPoint proxied : points) {
      if (!matches(proxied, protocol, via, load)) {
        continue;
      }
      find(points, proxied.round(), protocol, PathPoint.DIRECT, load)
          .ifPresent(
              direct -> {
                p50.add(proxied.result().p50Micros() - direct.result().p50Micros());
                p99.add(proxied.result().p99Micros() - direct.result().p99Micros());
              });
    }
    if (p50.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Overhead(median(p50), median(p99), p50.size()));
  }

  /** Throughput of {@code via} over direct at saturation, median over rounds. */
  public static OptionalDouble saturationRatio(
      List<PathPoint> points, String protocol, String via) {
    List<Double> ratios = new ArrayList<>();
    for (PathPoint proxied : points) {
      if (!matches(proxied, protocol, via, "sat")) {
        continue;
      }
      find(points, proxied.round(), protocol, PathPoint.DIRECT, "sat")
          .filter(direct -> direct.result().throughput() > 0)
          .ifPresent(
              direct -> ratios.add(proxied.result().throughput() / direct.result().throughput()));
    }
    return ratios.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(median(ratios));
  }

  public static String render(List<PathPoint> points) {
    StringBuilder out =
        new StringBuilder("Derived figures (median over rounds of per-round deltas)\n");
    for (String protocol : List.of("http", "grpc")) {
      for (String load : List.of("c1", "half")) {
        String concurrency = concurrencyOf(points, protocol, load);
        Optional<Overhead> router = overhead(points, protocol, PathPoint.ROUTER, load);
        Optional<Overhead> nginx = overhead(points, protocol, PathPoint.NGINX, load);
        if (router.isEmpty()) {
          continue;
        }
        Overhead r = router.get();
        out.append(
            String.format(
                Locale.ROOT,
                "- %s %s (c=%s): router overhead p50 %.0f µs [%s <= %.0f], p99 %.0f µs [%s <= %.0f]",
                protocol,
                load,
                concurrency,
                r.p50Micros(),
                verdict(r.p50Micros() <= P50_TARGET_MICROS),
                P50_TARGET_MICROS,
                r.p99Micros(),
                verdict(r.p99Micros() <= P99_TARGET_MICROS),
                P99_TARGET_MICROS));
        if (nginx.isPresent()) {
          Overhead n = nginx.get();
          out.append(
              String.format(
                  Locale.ROOT,
                  "; nginx overhead p50 %.0f µs, p99 %.0f µs; router/nginx p50 %s [%s <= %.0fx],"
                      + " p99 %s",
                  n.p50Micros(),
                  n.p99Micros(),
                  ratioText(r.p50Micros(), n.p50Micros()),
                  verdict(withinNginxFactor(r.p50Micros(), n.p50Micros())),
                  NGINX_FACTOR_TARGET,
                  ratioText(r.p99Micros(), n.p99Micros())));
        }
        out.append('\n');
      }
      String satConcurrency = concurrencyOf(points, protocol, "sat");
      for (String via : List.of(PathPoint.ROUTER, PathPoint.NGINX)) {
        OptionalDouble ratio = saturationRatio(points, protocol, via);
        if (ratio.isPresent()) {
          out.append(
              String.format(
                  Locale.ROOT,
                  "- %s saturation (c=%s) throughput %s / direct: %.3f%s%n",
                  protocol,
                  satConcurrency,
                  via,
                  ratio.getAsDouble(),
                  via.equals(PathPoint.ROUTER)
                      ? String.format(
                          Locale.ROOT,
                          " [%s >= %.1f]",
                          verdict(ratio.getAsDouble() >= SATURATION_RATIO_TARGET),
                          SATURATION_RATIO_TARGET)
                      : ""));
        }
      }
    }
    return out.toString();
  }

  /**
   * The router may cost at most {@link #NGINX_FACTOR_TARGET} times nginx's overhead; an overhead at
   * or below zero (noise larger than the effect) passes only when the router's is too.
   */
  static boolean withinNginxFactor(double router, double nginx) {
    if (nginx <= 0) {
      return router <= 0;
    }
    return router <= NGINX_FACTOR_TARGET * nginx;
  }

  private static String ratioText(double router, double nginx) {
    return nginx <= 0
        ? "n/a (nginx overhead <= 0)"
        : String.format(Locale.ROOT, "%.2fx", router / nginx);
  }

  private static String verdict(boolean ok) {
    return ok ? "PASS" : "FAIL";
  }

  private static String concurrencyOf(List<PathPoint> points, String protocol, String load) {
    return points.stream()
        .filter(p -> p.protocol().equals(protocol) && p.load().equals(load))
        .map(p -> Integer.toString(p.concurrency()))
        .findFirst()
        .orElse("?");
  }

  private static boolean matches(PathPoint p, String protocol, String via, String load) {
    return p.protocol().equals(protocol)
        && p.via().equals(via)
        && p.load().equals(load)
        && p.result().errors() == 0
        && p.result().requests() > 0;
  }

  private static Optional<PathPoint> find(
      List<PathPoint> points, int round, String protocol, String via, String load) {
    return points.stream()
        .filter(p -> p.round() == round && matches(p, protocol, via, load))
        .findFirst();
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  public static String markdown(List<PathPoint> points) {
    StringBuilder out = new StringBuilder();
    out.append(
        "| round | protocol | via | load | conc | requests | req/s | p50 µs | p99 µs | errors |\n");
    out.append("|---:|---|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (PathPoint p : points) {
      var r = p.result();
      out.append(
          String.format(
              Locale.ROOT,
              "| %d | %s | %s | %s | %d | %d | %.1f | %.0f | %.0f | %d |%n",
              p.round(),
              p.protocol(),
              p.via(),
              p.load(),
              p.concurrency(),
              r.requests(),
              r.throughput(),
              r.p50Micros(),
              r.p99Micros(),
              r.errors()));
    }
    return out.toString();
  }

  public static String csv(List<PathPoint> points) {
    StringBuilder out =
        new StringBuilder(
            "round,protocol,via,load,concurrency,requests,throughput_rps,p50_us,p99_us,mean_us,errors,first_error\n");
    for (PathPoint p : points) {
      var r = p.result();
      out.append(
          String.format(
              Locale.ROOT,
              "%d,%s,%s,%s,%d,%d,%.2f,%.1f,%.1f,%.1f,%d,%s%n",
              p.round(),
              p.protocol(),
              p.via(),
              p.load(),
              p.concurrency(),
              r.requests(),
              r.throughput(),
              r.p50Micros(),
              r.p99Micros(),
              r.meanMicros(),
              r.errors(),
              r.firstError() == null
                  ? ""
                  : '"' + r.firstError().replace("\"", "\"\"").replace('\n', ' ') + '"'));
    }
    return out.toString();
  }

  /** Writes results.csv and results.md (header, table, derived figures) into {@code dir}. */
  public static void write(Path dir, String header, List<PathPoint> points, String derived)
      throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("results.csv"), csv(points));
    Files.writeString(
        dir.resolve("results.md"), header + "\n\n" + markdown(points) + "\n" + derived);
  }
}
