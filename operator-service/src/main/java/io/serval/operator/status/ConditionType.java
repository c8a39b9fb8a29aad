package io.serval.operator.status;

/**
 * The kinds of condition Serval reports. Constants are spelt as on the wire (Kubernetes' CamelCase
 * condition types), since Jackson and the CRD generator write enum names as they are.
 */
public enum ConditionType {
  /** API: every requested replica of the current revision is ready. Splitter: every API is. */
  Ready,
  /** A rollout to a new revision is under way; its reason says where it stands. */
  RolloutInProgress,
  /** A replica crashed recently or crash-loops. */
  Degraded
}
