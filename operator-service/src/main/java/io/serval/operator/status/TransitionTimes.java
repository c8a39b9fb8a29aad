package io.serval.operator.status;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers when each condition of each resource last changed status, so that a status rebuilt
 * every second keeps Kubernetes' meaning of {@code lastTransitionTime}. In memory: after an
 * operator restart the first status built sets it to that moment.
 */
public final class TransitionTimes {

  private record Seen(ConditionStatus status, Instant since) {}

  private final Clock clock;
  private final Map<String, Map<ConditionType, Seen>> seen = new HashMap<>();

  public TransitionTimes(Clock clock) {
    this.clock = clock;
  }

  /**
   * The conditions with their transition times: kept where the status is the one seen last time for
   * this resource, now where it changed or is new.
   *
   * @param resource kind and name, e.g. "RealtimeApi/minilm"
   */
  public synchronized List<Condition> stamp(String resource, List<Condition> fresh) {
    Instant now = clock.instant();
    Map<ConditionType, Seen> before = seen.computeIfAbsent(resource, k -> new HashMap<>());
    List<Condition> out = new ArrayList<>(fresh.size());
    for (Condition c : fresh) {
      Seen last = before.get(c.type());
      Seen next = last != null && last.status() == c.status() ? last : new Seen(c.status(), now);
      before.put(c.type(), next);
      out.add(c.since(next.since()));
    }
    return List.copyOf(out);
  }

  /** Forgets resources that no longer exist. */
  public synchronized void retain(java.util.Set<String> resources) {
    seen.keySet().retainAll(resources);
  }
}
