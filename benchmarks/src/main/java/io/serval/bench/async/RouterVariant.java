package io.serval.bench.async;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One router the async harness starts: a build (jar) and the pump's poll interval.
 *
 * @param label names the router in the tables ("this", "base")
 * @param jar the router's quarkus-run.jar
 * @param pollInterval serval.router.async.poll-interval
 */
public record RouterVariant(String label, Path jar, Duration pollInterval) {

  /** The name in tables: the label and the poll interval, e.g. {@code this/poll=100ms}. */
  public String name() {
    return label + "/poll=" + format(pollInterval);
  }

  static String format(Duration d) {
    long ms = d.toMillis();
    return d.equals(Duration.ofMillis(ms))
        ? ms + "ms"
        : String.format(Locale.ROOT, "%.3fms", d.toNanos() / 1e6);
  }

  /**
   * Every poll interval on this build, then on the baseline build if there is one, in that order
   * (the order the harness interleaves them in).
   */
  public static List<RouterVariant> of(Path jar, Path baselineJar, List<Duration> pollIntervals) {
    return of(jar, baselineJar, pollIntervals, pollIntervals);
  }

  /** As {@link #of(Path, Path, List)}, with poll intervals of the baseline's own. */
  public static List<RouterVariant> of(
      Path jar, Path baselineJar, List<Duration> pollIntervals, List<Duration> baselinePolls) {
    if (pollIntervals.isEmpty() || (baselineJar != null && baselinePolls.isEmpty())) {
      throw new IllegalArgumentException("at least one poll interval is needed");
    }
    List<RouterVariant> variants = new ArrayList<>();
    for (Duration poll : pollIntervals) {
      variants.add(new RouterVariant("this", jar, positive(poll)));
    }
    if (baselineJar != null) {
      for (Duration poll : baselinePolls) {
        variants.add(new RouterVariant("base", baselineJar, positive(poll)));
      }
    }
    return List.copyOf(variants);
  }

  private static Duration positive(Duration poll) {
    if (!poll.isPositive()) {
      throw new IllegalArgumentException("a poll interval must be positive, got " + poll);
    }
    return poll;
  }
}
