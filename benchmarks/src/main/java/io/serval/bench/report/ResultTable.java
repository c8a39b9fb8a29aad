package io.serval.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders result rows as a markdown table and as CSV. */
public final class ResultTable {
  private static final String[] COLUMNS = {
    "model",
    "path",
    "batching",
    "concurrency",
    "requests",
    "throughput_rps",
    "p50_us",
    "p99_us",
    "mean_us",
    "errors",
    "first_error"
  };

  private ResultTable() {}

  public static String markdown(List<ResultRow> rows) {
    StringBuilder out = new StringBuilder();
    out.append(
        "| model | path | batching | conc | requests | req/s | p50 µs | p99 µs | errors |\n");
    out.append("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (ResultRow row : rows) {
      var r = row.result();
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %d | %d | %.1f | %.0f | %.0f | %d |%n",
              row.model(),
              row.path(),
              row.batching(),
              row.concurrency(),
              r.requests(),
              r.throughput(),
              r.p50Micros(),
              r.p99Micros(),
              r.errors()));
    }
    return out.toString();
  }

  public static String csv(List<ResultRow> rows) {
    StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append('\n');
    for (ResultRow row : rows) {
      var r = row.result();
      List<String> cells = new ArrayList<>();
      cells.add(row.model());
      cells.add(row.path());
      cells.add(row.batching());
      cells.add(Integer.toString(row.concurrency()));
      cells.add(Long.toString(r.requests()));
      cells.add(String.format(Locale.ROOT, "%.2f", r.throughput()));
      cells.add(String.format(Locale.ROOT, "%.1f", r.p50Micros()));
      cells.add(String.format(Locale.ROOT, "%.1f", r.p99Micros()));
      cells.add(String.format(Locale.ROOT, "%.1f", r.meanMicros()));
      cells.add(Long.toString(r.errors()));
      cells.add(r.firstError() == null ? "" : quote(r.firstError()));
      out.append(String.join(",", cells)).append('\n');
    }
    return out.toString();
  }

  private static String quote(String text) {
    return '"' + text.replace("\"", "\"\"").replace('\n', ' ') + '"';
  }

  /** Writes results.csv and results.md (table plus summary) into {@code dir}. */
  public static void write(Path dir, List<ResultRow> rows, String summary) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("results.csv"), csv(rows));
    Files.writeString(dir.resolve("results.md"), markdown(rows) + "\n" + summary);
  }
}
