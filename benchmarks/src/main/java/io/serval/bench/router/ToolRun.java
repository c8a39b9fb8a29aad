package io.serval.bench.router;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of a Debian load tool against one path, and what it printed: wrk for HTTP, h2load for
 * gRPC (whose percentiles come from its per-request log, since its report has only the mean). NaN
 * where the tool does not report a figure.
 */
record ToolRun(
    double throughput, double p50Micros, double p99Micros, double meanMicros, long errors) {

  private static final Pattern WRK_PERCENTILE =
      Pattern.compile("^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
  private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern WRK_NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern WRK_SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern H2_RATE = Pattern.compile("finished in [0-9.]+m?s, ([0-9.]+) req/s");
  private static final Pattern H2_REQUESTS =
      Pattern.compile(
          "requests: \\d+ total, \\d+ started, \\d+ done, \\d+ succeeded, (\\d+) failed,"
              + " (\\d+) errored, (\\d+) timeout");
  private static final Pattern H2_TIME =
      Pattern.compile(
          "time for request:\\s+([0-9.]+)(us|ms|s)\\s+([0-9.]+)(us|ms|s)\\s+([0-9.]+)(us|ms|s)");

  /** wrk's report (run with --latency). */
  static ToolRun parseWrk(String out) {
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    Matcher m = WRK_PERCENTILE.matcher(out);
    while (m.find()) {
      double micros = micros(m.group(2), m.group(3));
      if (m.group(1).equals("50")) {
        p50 = micros;
      } else {
        p99 = micros;
      }
    }
    long errors = 0;
    Matcher non2xx = WRK_NON_2XX.matcher(out);
    if (non2xx.find()) {
      errors += Long.parseLong(non2xx.group(1));
    }
    Matcher socket = WRK_SOCKET_ERRORS.matcher(out);
    if (socket.find()) {
      for (int g = 1; g <= 4; g++) {
        errors += Long.parseLong(socket.group(g));
      }
    }
    return new ToolRun(number(WRK_RATE, out, "Requests/sec"), p50, p99, Double.NaN, errors);
  }

  /** h2load's report. */
  static ToolRun parseH2load(String out) {
    Matcher requests = find(H2_REQUESTS, out, "requests:");
    long errors =
        Long.parseLong(requests.group(1))
            + Long.parseLong(requests.group(2))
            + Long.parseLong(requests.group(3));
    Matcher time = find(H2_TIME, out, "time for request:");
    return new ToolRun(
        number(H2_RATE, out, "finished in"),
        Double.NaN,
        Double.NaN,
        micros(time.group(5), time.group(6)),
        errors);
  }

  /** The same run with latency percentiles taken from elsewhere (h2load's per-request log). */
  ToolRun withPercentiles(double p50, double p99) {
    return new ToolRun(throughput, p50, p99, meanMicros, errors);
  }

  /**
   * p50 and p99 (nearest rank) of h2load's {@code --log-file}: one request a line, tab-separated
   * start time, HTTP status and microseconds until the end of the response.
   */
  static double[] h2loadLogPercentiles(List<String> lines) {
    long[] micros = new long[lines.size()];
    int n = 0;
    for (String line : lines) {
      String[] columns = line.split("\t");
      if (columns.length >= 3) {
        micros[n++] = Long.parseLong(columns[2].trim());
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("h2load's log has no requests");
    }
    long[] sorted = Arrays.copyOf(micros, n);
    Arrays.sort(sorted);
    return new double[] {nearestRank(sorted, 50), nearestRank(sorted, 99)};
  }

  private static double nearestRank(long[] sorted, int percentile) {
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  private static Matcher find(Pattern p, String out, String what) {
    Matcher m = p.matcher(out);
    if (!m.find()) {
      throw new IllegalArgumentException("no '" + what + "' line in the tool's output:\n" + out);
    }
    return m;
  }

  private static double number(Pattern p, String out, String what) {
    return Double.parseDouble(find(p, out, what).group(1));
  }

  static double micros(String value, String unit) {
    double v = Double.parseDouble(value);
    return switch (unit) {
      case "us" -> v;
      case "ms" -> v * 1_000;
      case "s" -> v * 1_000_000;
      default -> throw new IllegalArgumentException("unknown unit " + unit);
    };
  }

  /** wrk with {@code connections} closed-loop connections for {@code duration}. */
  static ToolRun wrk(Path wrk, Path script, String url, int connections, Duration duration)
      throws IOException, InterruptedException {
    return parseWrk(
        run(
            List.of(
                wrk.toString(),
                "-t" + Math.min(2, connections),
                "-c" + connections,
                "-d" + duration.toSeconds() + "s",
                "--latency",
                "-s",
                script.toString(),
                url),
            duration));
  }

  /** h2load over gRPC with {@code clients} connections, one stream each, for {@code duration}. */
  static ToolRun h2load(Path h2load, Path body, String url, int clients, Duration duration)
      throws IOException, InterruptedException {
    return h2load(
        h2load,
        List.of("-H", "content-type: application/grpc", "-H", "te: trailers"),
        body,
        url,
        clients,
        duration);
  }

  /**
   * h2load over HTTP/1.1 ({@code --h1}), one request at a time per connection, as wrk does. Its
   * per-request log gives exact percentiles; wrk's own c=1 p99 moved between 0.5 and 5 ms on the
   * same direct path within minutes (docs/benchmarks.md).
   */
  static ToolRun h2loadHttp1(Path h2load, Path body, String url, int clients, Duration duration)
      throws IOException, InterruptedException {
    return h2load(
        h2load,
        List.of("--h1", "-H", "content-type: application/json"),
        body,
        url,
        clients,
        duration);
  }

  private static ToolRun h2load(
      Path h2load, List<String> flags, Path body, String url, int clients, Duration duration)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("h2load", ".log");
    try {
      List<String> command = new ArrayList<>();
      command.add(h2load.toString());
      command.addAll(
          List.of(
              "-D",
              Long.toString(duration.toSeconds()),
              "-c",
              Integer.toString(clients),
              "-m",
              "1",
              "-t",
              Integer.toString(Math.min(2, clients))));
      command.addAll(flags);
      command.addAll(List.of("-d", body.toString(), "--log-file=" + log, url));
      ToolRun run = parseH2load(run(command, duration));
      double[] percentiles = h2loadLogPercentiles(Files.readAllLines(log));
      return run.withPercentiles(percentiles[0], percentiles[1]);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static String run(List<String> command, Duration duration)
      throws IOException, InterruptedException {
    // The report goes to a file: a pipe nobody reads while the tool runs could fill and stall it.
    Path report = Files.createTempFile("load-tool", ".txt");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(report.toFile())
              .start();
      // Bounded: the tool's own duration plus a margin for its start and its report.
      if (!p.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish; killed");
      }
      String out = Files.readString(report, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + out);
      }
      return out;
    } finally {
      Files.deleteIfExists(report);
    }
  }

  String describe() {
    List<String> parts = new ArrayList<>();
    parts.add(String.format(Locale.ROOT, "%9.0f req/s", throughput));
    if (!Double.isNaN(p50Micros)) {
      parts.add(String.format(Locale.ROOT, "p50 %6.0f µs  p99 %6.0f µs", p50Micros, p99Micros));
    }
    if (!Double.isNaN(meanMicros)) {
      parts.add(String.format(Locale.ROOT, "mean %6.0f µs", meanMicros));
    }
    parts.add("errors " + errors);
    return String.join("  ", parts);
  }
}
