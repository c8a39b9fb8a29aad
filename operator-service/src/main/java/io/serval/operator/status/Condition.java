package io.serval.operator.status;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * A Kubernetes-style condition (metav1.Condition's fields). {@code lastTransitionTime} is when the
 * status last changed (RFC 3339, as Kubernetes writes it), kept across rebuilds by {@link
 * TransitionTimes}; {@code observedGeneration} the resource generation the condition was derived
 * from (on Kubernetes the custom resource's metadata.generation), so that a client can tell a
 * condition about an older spec from one about the spec it just applied.
 */
@JsonPropertyOrder({
  "type",
  "status",
  "reason",
  "message",
  "lastTransitionTime",
  "observedGeneration"
})
public record Condition(
    ConditionType type,
    ConditionStatus status,
    ConditionReason reason,
    String message,
    String lastTransitionTime,
    long observedGeneration) {

  public Condition {
    if (reason.type() != type) {
      throw new IllegalArgumentException(
          reason + " is a reason of " + reason.type() + ", not " + type);
    }
  }

  /** A fresh condition; its transition time is set by {@link TransitionTimes}. */
  public static Condition of(ConditionStatus status, ConditionReason reason, String message) {
    return new Condition(reason.type(), status, reason, message, null, 0);
  }

  public static Condition of(boolean value, ConditionReason reason, String message) {
    return of(ConditionStatus.of(value), reason, message);
  }

  public Condition since(Instant transition) {
    return new Condition(type, status, reason, message, transition.toString(), observedGeneration);
  }

  /** This condition as derived from the given generation of its resource. */
  public Condition observing(long generation) {
    return new Condition(type, status, reason, message, lastTransitionTime, generation);
  }

  public boolean is(ConditionType t, ConditionStatus s) {
    return type == t && status == s;
  }
}
