package io.serval.client.transport;

import java.time.Duration;

/** The deadline as the router reads it from the {@code Serval-Timeout} header. */
public final class Deadlines {

  /** The header the router takes a caller's deadline from (also the Python client's). */
  public static final String HEADER = "Serval-Timeout";

  private Deadlines() {}

  /** Whole milliseconds, at least 1: {@code 2500ms}. */
  public static String headerValue(Duration budget) {
    return Math.max(1, budget.toMillis()) + "ms";
  }
}
