package io.serval.autoscaler.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalInt;

/**
 * Cortex's in-memory history of recommendations ({@code recs} in autoscaler.go): stabilization
 * looks at the highest recommendation of the downscale period and the lowest of the upscale period.
 */
final class RecommendationHistory {

  private record Entry(Instant at, int replicas) {}

  private final Deque<Entry> entries = new ArrayDeque<>();

  void add(Instant at, int replicas) {
    entries.addLast(new Entry(at, replicas));
  }

  /** Drops entries older than {@code keep} before {@code now}; bounds the history. */
  void gc(Instant now, Duration keep) {
    Instant oldest = now.minus(keep);
    while (!entries.isEmpty() && entries.peekFirst().at().isBefore(oldest)) {
      entries.removeFirst();
    }
  }

  OptionalInt maxSince(Instant since) {
    return entries.stream().filter(e -> !e.at().isBefore(since)).mapToInt(Entry::replicas).max();
  }

  OptionalInt minSince(Instant since) {
    return entries.stream().filter(e -> !e.at().isBefore(since)).mapToInt(Entry::replicas).min();
  }

  int size() {
    return entries.size();
  }
}
