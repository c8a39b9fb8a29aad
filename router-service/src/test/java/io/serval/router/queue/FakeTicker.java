package io.serval.router.queue;

import java.time.Duration;

/** A ticker the test moves by hand. */
public final class FakeTicker implements Ticker {
  private long now = 1_000_000_000L;

  @Override
  public long nanos() {
    return now;
  }

  public void advance(Duration d) {
    now += d.toNanos();
  }
}
