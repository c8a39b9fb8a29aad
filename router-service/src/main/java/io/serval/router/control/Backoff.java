package io.serval.router.control;

import java.time.Duration;

/** Exponential reconnection backoff; reset once a connection proves healthy. */
public final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private long nextMillis;

  public Backoff(Duration initial, Duration max) {
    this.initialMillis = Math.max(1, initial.toMillis());
    this.maxMillis = Math.max(initialMillis, max.toMillis());
    this.nextMillis = initialMillis;
  }

  synchronized long nextDelayMillis() {
    long d = nextMillis;
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    return d;
  }

  synchronized void reset() {
    nextMillis = initialMillis;
  }
}
