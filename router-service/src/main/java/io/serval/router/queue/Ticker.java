package io.serval.router.queue;

/** Monotonic nanosecond clock, injected so queue deadlines can be tested without waiting. */
@FunctionalInterface
public interface Ticker {
  long nanos();

  static Ticker system() {
    return System::nanoTime;
  }
}
