package io.serval.cli.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A job's rate (items per second) and time left, smoothed over a sliding window: the items done
 * between the oldest reading of the window and the newest, over the time between them (a pure
 * class: the readings come from the caller, the time from the injected clock). A job that stops
 * advancing shows its rate falling to zero as the window slides past its last progress, rather than
 * the average since it started; a burst is spread over the window.
 */
public final class Throughput {

  private record Reading(Instant at, long done) {}

  private final Clock clock;
  private final Duration window;
  private final Deque<Reading> readings = new ArrayDeque<>();

  public Throughput(Clock clock, Duration window) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, got " + window);
    }
    this.clock = clock;
    this.window = window;
  }

  /** The number of items done, read now. */
  public void record(long done) {
    Instant now = clock.instant();
    if (!readings.isEmpty() && done < readings.peekLast().done()) {
      readings.clear(); // counted again from the start: the old span means nothing
    }
    readings.addLast(new Reading(now, done));
    // Keep one reading at or before the window's start (the anchor), so that the span covers the
    // whole window: drop the oldest while the next one is old enough to be the anchor.
    Instant start = now.minus(window);
    while (readings.size() > 2 && !second().at().isAfter(start)) {
      readings.removeFirst();
    }
  }

  private Reading second() {
    var it = readings.iterator();
    it.next();
    return it.next();
  }

  /**
   * Items per second from the anchor to the newest reading (the window, give or take one reading's
   * interval); empty before two readings at different times.
   */
  public OptionalDouble rate() {
    if (readings.size() < 2) {
      return OptionalDouble.empty();
    }
    Reading first = readings.peekFirst();
    Reading last = readings.peekLast();
    long millis = Duration.between(first.at(), last.at()).toMillis();
    if (millis <= 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((last.done() - first.done()) * 1000.0 / millis);
  }

  /**
   * The time left to finish total items at the current rate; empty when the total is not known yet,
   * or nothing is advancing (no rate, or a rate of zero).
   */
  public Optional<Duration> eta(Long total) {
    OptionalDouble rate = rate();
    if (total == null || rate.isEmpty() || rate.getAsDouble() <= 0 || readings.isEmpty()) {
      return Optional.empty();
    }
    long left = Math.max(0, total - readings.peekLast().done());
    return Optional.of(Duration.ofMillis(Math.round(left * 1000.0 / rate.getAsDouble())));
  }
}
