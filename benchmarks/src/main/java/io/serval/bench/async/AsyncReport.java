package io.serval.bench.async;

import java.util.Locale;

/** The async harness's table: realtime and async percentiles of one router, and the p50 excess. */
public final class AsyncReport {
  public static final String HEADER =
      "| run | router | n | realtime p50 / p90 / p99 ms | async p50 / p90 / p99 ms | async − realtime p50 ms |\n"
          + "|---|---|---|---|---|---|\n";

  public static final String PHASES_HEADER =
      "| router | submit→202 p50 ms | submit→first poll seeing running p50 ms (n) | submit→succeeded p50 ms | GETs per request p50 |\n"
          + "|---|---|---|---|---|\n";

  private AsyncReport() {}

  /**
   * Where async time went (pooled): the 202, the first poll that saw the request running (the pump
   * had claimed it; a request claimed and finished between two polls is never seen running), the
   * answer, and how many GETs it took ({@code polls} holds counts, not nanoseconds).
   */
  public static String phases(
      String router, Latencies accepted, Latencies running, Latencies done, Latencies polls) {
    // A waiting client (held GETs) sees no intermediate state: nothing to show, not NaN.
    String seenRunning =
        running.count() == 0
            ? "—"
            : String.format(Locale.ROOT, "%.2f", running.percentileMillis(50));
    return String.format(
        Locale.ROOT,
        "| %s | %.2f | %s (%d of %d) | %.2f | %.0f |%n",
        router,
        accepted.percentileMillis(50),
        seenRunning,
        running.count(),
        done.count(),
        done.percentileMillis(50),
        polls.percentileMillis(50) * 1e6);
  }

  public static String row(String run, String router, Latencies realtime, Latencies async) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %d | %.2f / %.2f / %.2f | %.2f / %.2f / %.2f | %+.2f |%n",
        run,
        router,
        Math.min(realtime.count(), async.count()),
        realtime.percentileMillis(50),
        realtime.percentileMillis(90),
        realtime.percentileMillis(99),
        async.percentileMillis(50),
        async.percentileMillis(90),
        async.percentileMillis(99),
        async.percentileMillis(50) - realtime.percentileMillis(50));
  }
}
