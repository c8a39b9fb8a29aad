package io.serval.client.retry;

import java.time.Duration;

/** Waits between attempts; tests record the waits instead of making them. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration d) throws InterruptedException;
}
