package io.serval.client.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A clock that moves only when told, and a sleeper that moves it and records each wait. */
public final class FakeTime implements Ticker, Sleeper {
  private long nanos = 1_000_000_000L;
  private final List<Duration> sleeps = new ArrayList<>();
  private Runnable onSleep = () -> {};

  @Override
  public synchronized long nanos() {
    return nanos;
  }

  public synchronized void advance(Duration d) {
    nanos += d.toNanos();
  }

  @Override
  public void sleep(Duration d) {
    synchronized (this) {
      sleeps.add(d);
      nanos += d.toNanos();
    }
    onSleep.run();
  }

  /** Runs on every wait, after the clock moved: a test's way to change the world between tries. */
  public void onSleep(Runnable r) {
    this.onSleep = r;
  }

  public synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }
}
