package io.serval.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A harness's saved results read back for a chart: per series (the path a table row measured, e.g.
 * "router" or "rest on"), throughput and p99 by concurrency, the median where rounds repeat a
 * point; series grouped by model (predictor) or protocol (router), one chart row per group, since
 * their scales differ by orders of magnitude. Reads the CSV the harnesses write (results.csv) and
 * the markdown tables of their results.md, so that older saved results can be drawn too.
 */
public final class ResultPoints {

  /** One series' figures at one concurrency. */
  public record Point(int concurrency, double throughput, double p99Micros) {}

  /**
   * One line of the charts.
   *
   * @param baseline the reference the others are compared with (in-process, direct, LeanProxy,
   *     another build): drawn dashed
   */
  public record Series(String name, boolean baseline, List<Point> points) {}

  /** The series drawn together: one model, or one protocol; name empty when there is one group. */
  public record Group(String name, List<Series> series) {}

  private static final List<String> GROUP_BY = List.of("model", "protocol");

  private static final List<String> LABELS =
      List.of("model", "protocol", "path", "via", "batching");
  private static final List<String> CONCURRENCY = List.of("concurrency", "conc", "c");
  private static final List<String> THROUGHPUT = List.of("throughput_rps", "req/s");
  private static final List<String> P99 = List.of("p99_us", "p99 µs");
  private static final List<String> BASELINES =
      List.of("inproc", "direct", "lean", "baseline", "nginx");

  private ResultPoints() {}

  /** The groups of a results.csv or of the first fitting markdown table of a results.md. */
  public static List<Group> parse(String text) {
    List<List<String>> rows =
        text.lines().anyMatch(l -> l.startsWith("|")) ? markdown(text) : csv(text);
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no table with concurrency, throughput and p99 columns");
    }
    List<String> header = rows.getFirst();
    int c = column(header, CONCURRENCY);
    int t = column(header, THROUGHPUT);
    int p = column(header, P99);
    int group = -1;
    for (String g : GROUP_BY) {
      if (header.contains(g)) {
        group = header.indexOf(g);
        break;
      }
    }
    List<Integer> labels = new ArrayList<>();
    for (String l : LABELS) {
      int i = header.indexOf(l);
      if (i >= 0 && i != group) {
        labels.add(i);
      }
    }
    Map<String, Map<String, Map<Integer, List<double[]>>>> byGroup = new TreeMap<>();
    for (List<String> row : rows.subList(1, rows.size())) {
      if (row.size() < header.size()) {
        continue;
      }
      List<String> name = new ArrayList<>();
      for (int i : labels) {
        String v = row.get(i).trim();
        if (!v.isEmpty() && !v.equals("-")) {
          name.add(v);
        }
      }
      double throughput = number(row.get(t));
      double p99 = number(row.get(p));
      if (Double.isNaN(throughput) || Double.isNaN(p99)) {
        continue;
      }
      byGroup
          .computeIfAbsent(group < 0 ? "" : row.get(group).trim(), k -> new TreeMap<>())
          .computeIfAbsent(String.join(" ", name), k -> new TreeMap<>())
          .computeIfAbsent(Integer.parseInt(row.get(c).trim()), k -> new ArrayList<>())
          .add(new double[] {throughput, p99});
    }
    List<Group> out = new ArrayList<>();
    byGroup.forEach((name, bySeries) -> out.add(new Group(name, series(bySeries))));
    return out;
  }

  private static List<Series> series(Map<String, Map<Integer, List<double[]>>> bySeries) {
    List<Series> out = new ArrayList<>();
    bySeries.forEach(
        (name, points) -> {
          List<Point> list = new ArrayList<>();
          points.forEach(
              (conc, values) ->
                  list.add(
                      new Point(
                          conc,
                          median(values.stream().mapToDouble(v -> v[0]).toArray()),
                          median(values.stream().mapToDouble(v -> v[1]).toArray()))));
          out.add(new Series(name, isBaseline(name), list));
        });
    return out;
  }

  static boolean isBaseline(String name) {
    for (String word : name.toLowerCase(Locale.ROOT).split(" ")) {
      if (BASELINES.contains(word)) {
        return true;
      }
    }
    return false;
  }

  private static int column(List<String> header, List<String> names) {
    for (String n : names) {
      int i = header.indexOf(n);
      if (i >= 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("the table has no column " + names + ": " + header);
  }

  private static double number(String cell) {
    try {
      return Double.parseDouble(cell.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** CSV rows; a quoted cell may hold commas and doubled quotes. */
  static List<List<String>> csv(String text) {
    List<List<String>> rows = new ArrayList<>();
    for (String line : text.lines().toList()) {
      if (line.isBlank()) {
        continue;
      }
      List<String> cells = new ArrayList<>();
      StringBuilder cell = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char ch = line.charAt(i);
        if (quoted) {
          if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cell.append('"');
            i++;
          } else if (ch == '"') {
            quoted = false;
          } else {
            cell.append(ch);
          }
        } else if (ch == '"') {
          quoted = true;
        } else if (ch == ',') {
          cells.add(cell.toString());
          cell.setLength(0);
        } else {
          cell.append(ch);
        }
      }
      cells.add(cell.toString());
      rows.add(cells);
    }
    return rows;
  }

  /** The rows of the first markdown table whose header has a concurrency column. */
  static List<List<String>> markdown(String text) {
    List<List<String>> rows = new ArrayList<>();
    for (String line : text.lines().toList()) {
      String l = line.trim();
      if (!l.startsWith("|")) {
        if (!rows.isEmpty()) {
          break;
        }
        continue;
      }
      List<String> cells = new ArrayList<>();
      for (String c :
          l.substring(1, l.endsWith("|") ? l.length() - 1 : l.length()).split("\\|", -1)) {
        cells.add(c.trim());
      }
      if (rows.isEmpty()) {
        if (CONCURRENCY.stream().anyMatch(cells::contains)) {
          rows.add(cells);
        }
      } else if (!cells.getFirst().startsWith("---") && !cells.getFirst().startsWith(":--")) {
        rows.add(cells);
      }
    }
    return rows;
  }
}
