package io.serval.predictor.batching;

/** A monotonic nanosecond clock; tests inject a manual one. */
@FunctionalInterface
public interface Ticker {
  long nanoTime();

  static Ticker system() {
    return System::nanoTime;
  }
}
