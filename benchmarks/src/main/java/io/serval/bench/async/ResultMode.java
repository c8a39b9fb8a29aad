package io.serval.bench.async;

import java.util.Locale;

/**
 * How the harness's async client waits for a result: {@code poll} sends {@code GET Location} every
 * {@code --client-poll}; {@code wait} sends it with {@code Prefer: wait=N} and sends the next at
 * once when a held GET ends without the answer (a router that does not hold GETs, one without
 * {@code Preference-Applied}, is polled as in {@code poll}).
 */
public enum ResultMode {
  POLL,
  WAIT;

  /** The name in options and tables: {@code poll} or {@code wait}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code poll} or {@code wait}, in any case. */
  public static ResultMode parse(String s) {
    for (ResultMode m : values()) {
      if (m.label().equalsIgnoreCase(s.strip())) {
        return m;
      }
    }
    throw new IllegalArgumentException("a result mode is poll or wait, got '" + s + "'");
  }
}
