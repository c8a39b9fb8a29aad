package io.serval.router.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the replicas of each revision of one API answered since the last sample: the input of the
 * operator's canary analysis, which compares a new revision's failure rate with the old one's. Only
 * attempts a replica took count; the router's own refusals and expiries blame no revision.
 */
public final class RevisionOutcomes {

  /** One revision's counts over a sampled period. */
  public record Sample(String revision, long answered, long failed) {}

  private static final class Counts {
    final LongAdder answered = new LongAdder();
    final LongAdder failed = new LongAdder();
  }

  private final Map<String, Counts> byRevision = new ConcurrentHashMap<>();

  void record(String revision, boolean ok) {
    if (revision == null || revision.isEmpty()) {
      return;
    }
    Counts c = byRevision.computeIfAbsent(revision, r -> new Counts());
    c.answered.increment();
    if (!ok) {
      c.failed.increment();
    }
  }

  /**
   * The counts since the last call, revisions without any answer left out; revisions that saw
   * nothing for a whole period are forgotten so that the map follows the routes.
   */
  public List<Sample> take() {
    List<Sample> out = new ArrayList<>();
    byRevision.forEach(
        (revision, c) -> {
          long answered = c.answered.sumThenReset();
          long failed = c.failed.sumThenReset();
          if (answered == 0) {
            byRevision.remove(revision, c);
          } else {
            out.add(new Sample(revision, answered, Math.min(failed, answered)));
          }
        });
    return out;
  }
}
