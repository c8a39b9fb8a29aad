package io.serval.operator.spec;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes-style resource quantities: CPU ("1", "0.5", "500m") and memory ("1Gi", "512M"). */
public final class Quantities {

  private static final Pattern CPU = Pattern.compile("(\\d+(?:\\.\\d+)?)(m?)");
  private static final Pattern MEM = Pattern.compile("(\\d+(?:\\.\\d+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)?");
  private static final Map<String, Long> MEM_UNITS =
      Map.of(
          "Ki", 1L << 10,
          "Mi", 1L << 20,
          "Gi", 1L << 30,
          "Ti", 1L << 40,
          "k", 1_000L,
          "K", 1_000L,
          "M", 1_000_000L,
          "G", 1_000_000_000L,
          "T", 1_000_000_000_000L);

  private Quantities() {}

  /**
   * @throws IllegalArgumentException when the text is not a CPU quantity
   */
  public static long cpuMillis(String text) {
    Matcher m = CPU.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "must be a CPU quantity like 1, 0.5 or 500m, got \"" + text + "\"");
    }
    BigDecimal v = new BigDecimal(m.group(1));
    return m.group(2).isEmpty() ? v.movePointRight(3).longValue() : v.longValue();
  }

  /**
   * @throws IllegalArgumentException when the text is not a memory quantity
   */
  public static long bytes(String text) {
    Matcher m = MEM.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "must be a memory quantity like 512Mi, 1Gi or 1G, got \"" + text + "\"");
    }
    BigDecimal v = new BigDecimal(m.group(1));
    long unit = m.group(2) == null ? 1L : MEM_UNITS.get(m.group(2));
    return v.multiply(BigDecimal.valueOf(unit)).longValue();
  }
}
