package io.serval.bench.load;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Warms every path before any is measured, in rounds of load on each, until no path's throughput
 * moved by more than 10% since its previous round. A young JVM on a busy machine keeps compiling
 * for minutes: a path measured while the others are still cold looks slower than it is.
 */
public final class PathWarmup {
  private static final double TOLERANCE = 0.10;

  private PathWarmup() {}

  /**
   * @param perPath load on each path per round
   * @param maxRounds rounds at most, fewer once settled
   */
  public static void untilSettled(
      ClosedLoopRunner runner,
      Map<String, Target> targets,
      int concurrency,
      Duration perPath,
      int maxRounds,
      long maxRequests)
      throws InterruptedException {
    Map<String, Double> previous = new LinkedHashMap<>();
    for (int round = 1; round <= maxRounds; round++) {
      boolean settled = round > 1;
      StringBuilder line = new StringBuilder();
      for (Map.Entry<String, Target> e : targets.entrySet()) {
        double rps =
            runner.run(e.getValue(), concurrency, Duration.ZERO, perPath, maxRequests).throughput();
        Double before = previous.put(e.getKey(), rps);
        if (before == null || Math.abs(rps - before) > TOLERANCE * before) {
          settled = false;
        }
        line.append(String.format(Locale.ROOT, " %s %.1f req/s", e.getKey(), rps));
      }
      System.out.printf(Locale.ROOT, "warm-up round %d:%s%n", round, line);
      if (settled) {
        return;
      }
    }
  }
}
