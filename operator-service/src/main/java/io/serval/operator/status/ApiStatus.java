package io.serval.operator.status;

import java.util.List;

/** Status of a RealtimeApi, the same on every runtime. */
public record ApiStatus(
    long observedGeneration,
    List<Condition> conditions,
    Replicas replicas,
    List<RevisionStatus> revisions,
    String endpoint,
    String lastScaleReason) {

  /** This status, and each of its conditions, as derived from the given generation. */
  public ApiStatus observing(long generation) {
    return new ApiStatus(
        generation,
        conditions.stream().map(c -> c.observing(generation)).toList(),
        replicas,
        revisions,
        endpoint,
        lastScaleReason);
  }

  /** The Ready condition's status (Unknown if it is missing). */
  public ConditionStatus ready() {
    return conditions.stream()
        .filter(c -> c.type() == ConditionType.Ready)
        .map(Condition::status)
        .findFirst()
        .orElse(ConditionStatus.Unknown);
  }

  /**
   * Requested = desired replicas; ready = ready in any revision; upToDate = ready in the current.
   */
  public record Replicas(int requested, int ready, int upToDate) {}

  public record RevisionStatus(
      String revision, int trafficPercent, int readyReplicas, boolean current) {}
}
