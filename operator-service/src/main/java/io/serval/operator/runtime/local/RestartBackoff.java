package io.serval.operator.runtime.local;

import java.time.Duration;

/** Exponential restart backoff: initial, 2x, 4x, ... capped at max. */
public record RestartBackoff(Duration initial, Duration max) {

  public RestartBackoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "restart backoff needs 0 < initial <= max, got " + initial + " and " + max);
    }
  }

  /** The wait before restart number {@code deaths} (1 for the first death). */
  public Duration delay(int deaths) {
    int doublings = Math.max(0, Math.min(deaths - 1, 30));
    Duration d = initial.multipliedBy(1L << doublings);
    return d.compareTo(max) > 0 ? max : d;
  }
}
