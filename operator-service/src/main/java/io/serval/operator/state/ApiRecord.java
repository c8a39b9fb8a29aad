package io.serval.operator.state;

import io.serval.operator.spec.RealtimeApi;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the operator keeps about one API: its spec, generation, revision history (newest last;
 * the last is the current revision), traffic share per revision, desired replicas.
 */
public record ApiRecord(
    RealtimeApi api,
    long generation,
    List<RevisionRecord> history,
    Map<String, Integer> traffic,
    int desiredReplicas,
    String scaleReason,
    RolloutState rollout,
    Instant createdAt,
    Instant updatedAt) {

  /** Revisions kept for rollback. */
  public static final int HISTORY_LIMIT = 10;

  public ApiRecord {
    history = List.copyOf(history);
    traffic = Collections.unmodifiableMap(new TreeMap<>(traffic));
  }

  public String name() {
    return api.name();
  }

  public String revision() {
    return history.getLast().id();
  }

  public ApiRecord withDesiredReplicas(int replicas, String reason, Instant now) {
    return new ApiRecord(
        api, generation, history, traffic, replicas, reason, rollout, createdAt, now);
  }

  public ApiRecord withRollout(
      RolloutState newRollout, Map<String, Integer> newTraffic, Instant now) {
    return new ApiRecord(
        api,
        generation,
        history,
        newTraffic,
        desiredReplicas,
        scaleReason,
        newRollout,
        createdAt,
        now);
  }

  public boolean rolloutInProgress() {
    return rollout != null && rollout.inProgress();
  }

  /** The revisions that need replicas: those with traffic, and the target of a running rollout. */
  public java.util.Set<String> activeRevisions() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    traffic.forEach(
        (rev, pct) -> {
          if (pct > 0) out.add(rev);
        });
    if (rolloutInProgress()) {
      out.add(rollout.to());
    }
    return out;
  }

  public java.util.Optional<RevisionRecord> revision(String id) {
    return history.stream().filter(r -> r.id().equals(id)).findFirst();
  }
}
