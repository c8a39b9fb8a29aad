package io.serval.cli.batch;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The text of one progress reading: status, a bar (terminal only), done/total, percent, failed
 * items, rate and time left. Unknown parts (the total before the input is read, the rate before two
 * readings, the time left at a rate of zero) read "?" or "-".
 */
public final class ProgressLine {

  static final int BAR_WIDTH = 24;

  private ProgressLine() {}

  public static String of(JobState s, OptionalDouble rate, Optional<Duration> eta, boolean bar) {
    StringBuilder b = new StringBuilder();
    b.append(s.statusText() == null ? "?" : s.statusText()).append(' ');
    if (bar) {
      b.append(bar(s)).append(' ');
    }
    b.append(s.done()).append('/').append(s.total() == null ? "?" : s.total().toString());
    if (s.total() != null) {
      b.append(' ').append(percent(s)).append('%');
    }
    b.append("  ").append(s.failed()).append(" failed");
    b.append("  ").append(rate.isPresent() ? rate(rate.getAsDouble()) : "-").append(" items/s");
    b.append("  ETA ").append(eta.map(ProgressLine::duration).orElse("-"));
    return b.toString();
  }

  /** Whole percent done, rounded down (100 only when every item is done). */
  static int percent(JobState s) {
    if (s.total() == null || s.total() <= 0) {
      return s.total() != null && s.status().finished() ? 100 : 0;
    }
    return (int) Math.min(100, s.done() * 100 / s.total());
  }

  private static String bar(JobState s) {
    int filled =
        s.total() == null || s.total() <= 0
            ? 0
            : (int) Math.min(BAR_WIDTH, s.done() * BAR_WIDTH / s.total());
    return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
  }

  static String rate(double perSecond) {
    return perSecond < 10
        ? String.format(Locale.ROOT, "%.1f", perSecond)
        : String.valueOf(Math.round(perSecond));
  }

  /** 45s, 6m05s, 2h03m. */
  static String duration(Duration d) {
    long s = Math.max(0, (d.toMillis() + 999) / 1000);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
