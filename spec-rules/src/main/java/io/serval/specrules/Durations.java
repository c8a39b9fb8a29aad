package io.serval.specrules;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of Serval: "2ms", "10s", "1m", "5m", "1h", "1m30s", "1.5s" and "0".
 * Specs, the operator's stored state, the CLI's and the benchmarks' options all read durations
 * here, so that a duration written in one place is understood in every other.
 */
public final class Durations {

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
  private static final String PARTS = "(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h))+";
  private static final Pattern WHOLE = Pattern.compile(PARTS);

  /**
   * The grammar as one anchored regular expression ("0" included), for schemas that check a
   * duration's form where this class cannot run (the CRDs' OpenAPI pattern).
   */
  public static final String PATTERN = "^(?:0|" + PARTS + ")$";

  /** Longest duration a spec may write; anything longer is a mistake (and would overflow). */
  public static final Duration MAX = Duration.ofDays(365);

  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(MAX.toNanos());

  private Durations() {}

  /**
   * @throws IllegalArgumentException when the text is not a duration
   */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    if (!WHOLE.matcher(t).matches()) {
      throw new IllegalArgumentException(
          "must be a duration like 2ms, 10s, 1m or 1h, got \"" + text + "\"");
    }
    Matcher m = PART.matcher(t);
    BigDecimal nanos = BigDecimal.ZERO;
    while (m.find()) {
      BigDecimal value = new BigDecimal(m.group(1));
      long unitNanos =
          switch (m.group(2)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
          };
      nanos = nanos.add(value.multiply(BigDecimal.valueOf(unitNanos)));
    }
    // compared before the conversion: longValue() would wrap a huge value round to a small one
    if (nanos.compareTo(MAX_NANOS) > 0) {
      throw new IllegalArgumentException(
          "must be at most " + format(MAX) + ", got \"" + text + "\"");
    }
    return Duration.ofNanos(nanos.longValue());
  }

  /**
   * The shortest spec text for a duration, so that a parsed spec prints back the way people write
   * it.
   */
  public static String format(Duration d) {
    // Only messages print negative durations (the autoscaler is sent proto durations, which may be
    // negative): say so rather than print nothing.
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    if (d.isZero()) {
      return "0s";
    }
    long ms = d.toMillis();
    if (Duration.ofMillis(ms).equals(d) && ms % 1000 != 0) {
      return ms + "ms";
    }
    if (!Duration.ofMillis(ms).equals(d)) {
      return d.toNanos() / 1_000_000.0 + "ms";
    }
    long s = ms / 1000;
    StringBuilder out = new StringBuilder();
    if (s >= 3600 && s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s >= 60) {
      out.append(s / 60).append('m');
      s %= 60;
    }
    if (s > 0) {
      out.append(s).append('s');
    }
    return out.toString();
  }
}
