package io.serval.client.retry;

/** A monotonic clock in nanoseconds; tests step a fake one. */
@FunctionalInterface
public interface Ticker {
  long nanos();
}
