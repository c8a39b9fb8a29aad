package io.serval.it.load;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** What a load run saw: outcomes by status and revision, latency percentiles, failures. */
public record LoadReport(String name, long startNanos, List<Outcome> outcomes) {

  public LoadReport {
    outcomes = outcomes.stream().sorted(Comparator.comparingLong(Outcome::startNanos)).toList();
  }

  public int total() {
    return outcomes.size();
  }

  public List<Outcome> failures() {
    return outcomes.stream().filter(o -> !o.ok()).toList();
  }

  public int succeeded() {
    return (int) outcomes.stream().filter(Outcome::ok).count();
  }

  public Map<String, Long> byStatus() {
    return outcomes.stream()
        .collect(Collectors.groupingBy(Outcome::status, TreeMap::new, Collectors.counting()));
  }

  /** Successful outcomes per serving revision ("api/revision"). */
  public Map<String, Long> byRevision() {
    return outcomes.stream()
        .filter(Outcome::ok)
        .collect(
            Collectors.groupingBy(
                o -> String.valueOf(o.revision()), TreeMap::new, Collectors.counting()));
  }

  /** Successful outcomes per serving API. */
  public Map<String, Long> byApi() {
    return outcomes.stream()
        .filter(Outcome::ok)
        .collect(
            Collectors.groupingBy(
                o -> String.valueOf(o.api()), TreeMap::new, Collectors.counting()));
  }

  public LoadReport filter(Predicate<Outcome> keep) {
    return new LoadReport(name, startNanos, outcomes.stream().filter(keep).toList());
  }

  /** Latency percentile (0..100) of the successful requests, in milliseconds. */
  public double percentileMillis(double p) {
    double[] l =
        outcomes.stream().filter(Outcome::ok).mapToDouble(Outcome::latencyMillis).toArray();
    if (l.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(l);
    int idx = (int) Math.ceil(p / 100.0 * l.length) - 1;
    return l[Math.max(0, Math.min(l.length - 1, idx))];
  }

  /** Latency percentile (0..100) of all requests, failed ones included, in milliseconds. */
  public double percentileAllMillis(double p) {
    double[] l = outcomes.stream().mapToDouble(Outcome::latencyMillis).toArray();
    if (l.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(l);
    int idx = (int) Math.ceil(p / 100.0 * l.length) - 1;
    return l[Math.max(0, Math.min(l.length - 1, idx))];
  }

  public double maxMillis() {
    return outcomes.stream().mapToDouble(Outcome::latencyMillis).max().orElse(Double.NaN);
  }

  public double durationSeconds() {
    if (outcomes.isEmpty()) {
      return 0;
    }
    Outcome last =
        outcomes.stream()
            .max(Comparator.comparingLong(o -> o.startNanos() + o.latencyNanos()))
            .get();
    return (last.startNanos() + last.latencyNanos() - startNanos) / 1e9;
  }

  public double ratePerSecond() {
    double d = durationSeconds();
    return d == 0 ? 0 : total() / d;
  }

  /** Failures grouped by status and message (for assertion messages). */
  public Map<String, Long> failureSummary() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Outcome o : failures()) {
      out.merge(o.status() + " " + o.message(), 1L, Long::sum);
    }
    return out;
  }

  public String describe() {
    return String.format(
        "%s: %d requests in %.1f s (%.0f/s), ok %d, by status %s, by revision %s,"
            + " latency ms of successes p50 %.2f p99 %.2f, of all p50 %.2f p99 %.2f max %.2f%s",
        name,
        total(),
        durationSeconds(),
        ratePerSecond(),
        succeeded(),
        byStatus(),
        byRevision(),
        percentileMillis(50),
        percentileMillis(99),
        percentileAllMillis(50),
        percentileAllMillis(99),
        maxMillis(),
        failures().isEmpty() ? "" : ", failures " + failureSummary());
  }
}
