package io.serval.operator.canary;

import io.serval.operator.rollout.Outcomes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Per-second counts of what each revision's replicas answered, summed over every router: canary
 * analysis asks what a revision answered since its step began. Pure (times come in with the calls)
 * and bounded: buckets older than the retention are dropped, and so are revisions that have
 * reported nothing for as long.
 */
public final class RevisionOutcomeLedger {

  private record Key(String api, String revision) {}

  private static final class Bucket {
    final long second;
    long answered;
    long failed;

    Bucket(long second) {
      this.second = second;
    }
  }

  private final Duration retention;
  private final Map<Key, Deque<Bucket>> buckets = new HashMap<>();

  public RevisionOutcomeLedger(Duration retention) {
    if (retention.toSeconds() < 1) {
      throw new IllegalArgumentException("retention must be at least 1s, got " + retention);
    }
    this.retention = retention;
  }

  /** Adds one router's counts for a revision, received at {@code at}. */
  public synchronized void record(
      String api, String revision, long answered, long failed, Instant at) {
    if (answered <= 0) {
      return;
    }
    long second = at.getEpochSecond();
    Deque<Bucket> series = buckets.computeIfAbsent(new Key(api, revision), k -> new ArrayDeque<>());
    Bucket last = series.peekLast();
    if (last == null || last.second < second) {
      last = new Bucket(second);
      series.addLast(last);
    }
    // A report stamped in an earlier second than the newest bucket joins the newest one: the
    // series stays ordered and nothing is lost.
    last.answered += answered;
    last.failed += Math.min(failed, answered);
    prune(second);
  }

  /** What a revision answered from {@code from} (to the second) on. */
  public synchronized Outcomes since(String api, String revision, Instant from) {
    Deque<Bucket> series = buckets.get(new Key(api, revision));
    if (series == null) {
      return Outcomes.NONE;
    }
    long first = from.getEpochSecond();
    long answered = 0;
    long failed = 0;
    for (Iterator<Bucket> it = series.descendingIterator(); it.hasNext(); ) {
      Bucket b = it.next();
      if (b.second < first) {
        break;
      }
      answered += b.answered;
      failed += b.failed;
    }
    return new Outcomes(answered, failed);
  }

  /** How many revisions are tracked (for tests of the bound). */
  public synchronized int revisions() {
    return buckets.size();
  }

  private void prune(long nowSecond) {
    long oldest = nowSecond - retention.toSeconds();
    buckets
        .values()
        .removeIf(
            series -> {
              while (!series.isEmpty() && series.peekFirst().second < oldest) {
                series.removeFirst();
              }
              return series.isEmpty();
            });
  }
}
