package io.serval.bench.burst;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The run second by second, relative to the load step (second 0 starts at the step): answered
 * requests per second, their p99, errors, the client's concurrency, the in-flight average the
 * autoscaler decided on, and the operator's requested and ready replicas. Pure.
 */
public final class SecondSeries {

  /**
   * One second.
   *
   * @param second seconds since the step (negative before it); the row covers [second, second+1)
   * @param answered requests answered 200 that ended in this second
   * @param errors requests that failed in this second
   * @param p99Millis p99 latency of the answered ones, NaN when none
   * @param concurrency the client's outstanding requests (the closed loop's size)
   * @param autoscalerInFlight the panic-window in-flight average of the last decision taken in this
   *     second, NaN when none was
   * @param requested the operator's requested replicas at the last poll in this second, -1 if none
   * @param ready the operator's ready replicas at the last poll in this second, -1 if none
   */
  public record Row(
      int second,
      int answered,
      int errors,
      double p99Millis,
      int concurrency,
      double autoscalerInFlight,
      int requested,
      int ready) {}

  private SecondSeries() {}

  /**
   * @param startMillis when the load started (before the step)
   * @param stepAtMillis when it stepped up
   * @param endMillis when it ended
   * @param before the closed loop's size before the step
   * @param after its size from the step on
   */
  public static List<Row> of(
      long startMillis,
      long stepAtMillis,
      long endMillis,
      int before,
      int after,
      List<RequestRecord> requests,
      List<ProbeSample> samples) {
    int first = second(startMillis, stepAtMillis);
    int last = second(endMillis - 1, stepAtMillis);
    int n = Math.max(0, last - first + 1);
    int[] answered = new int[n];
    int[] errors = new int[n];
    List<List<Long>> latencies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      latencies.add(new ArrayList<>());
    }
    for (RequestRecord r : requests) {
      int i = second(r.endMillis(), stepAtMillis) - first;
      if (i < 0 || i >= n) {
        continue;
      }
      if (r.ok()) {
        answered[i]++;
        latencies.get(i).add(r.latencyMicros());
      } else {
        errors[i]++;
      }
    }
    double[] inFlight = new double[n];
    int[] requested = new int[n];
    int[] ready = new int[n];
    Arrays.fill(inFlight, Double.NaN);
    Arrays.fill(requested, -1);
    Arrays.fill(ready, -1);
    for (ProbeSample s : samples) {
      int i = second(s.atMillis(), stepAtMillis) - first;
      if (i >= 0 && i < n && s.requested() >= 0) {
        requested[i] = s.requested();
        ready[i] = s.ready();
      }
      s.decision()
          .ifPresent(
              d -> {
                int j = second(d.decidedAtMillis(), stepAtMillis) - first;
                if (j >= 0 && j < n) {
                  inFlight[j] = d.panicAverage();
                }
              });
    }
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int second = first + i;
      rows.add(
          new Row(
              second,
              answered[i],
              errors[i],
              p99Millis(latencies.get(i)),
              second < 0 ? before : after,
              inFlight[i],
              requested[i],
              ready[i]));
    }
    return rows;
  }

  /** The second (relative to the step) that holds {@code atMillis}. */
  static int second(long atMillis, long stepAtMillis) {
    return (int) Math.floorDiv(atMillis - stepAtMillis, 1000L);
  }

  /** Nearest-rank p99 in milliseconds; NaN for no values. */
  static double p99Millis(List<Long> micros) {
    if (micros.isEmpty()) {
      return Double.NaN;
    }
    long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
    int rank = (int) Math.ceil(0.99 * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1000.0;
  }

  /** The rows as CSV with a header line. */
  public static String csv(List<Row> rows) {
    StringBuilder b =
        new StringBuilder(
            "second,answered,errors,p99_ms,concurrency,autoscaler_in_flight,requested,ready\n");
    for (Row r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "%d,%d,%d,%s,%d,%s,%d,%d%n",
              r.second(),
              r.answered(),
              r.errors(),
              Double.isNaN(r.p99Millis()) ? "" : String.format(Locale.ROOT, "%.1f", r.p99Millis()),
              r.concurrency(),
              Double.isNaN(r.autoscalerInFlight())
                  ? ""
                  : String.format(Locale.ROOT, "%.2f", r.autoscalerInFlight()),
              r.requested(),
              r.ready()));
    }
    return b.toString();
  }
}
