package io.serval.operator.status;

/**
 * Every reason a condition can give, with the condition type it belongs to. CamelCase as on the
 * wire (Kubernetes' convention for reasons), so that clients can switch on them.
 */
public enum ConditionReason {
  /** Ready Unknown: runtime none runs no replicas. */
  NoRuntime(ConditionType.Ready),
  /** Ready True: no replicas requested. */
  ScaledToZero(ConditionType.Ready),
  AllReplicasReady(ConditionType.Ready),
  ReplicasNotReady(ConditionType.Ready),
  /** Splitter Ready True: every API behind it (shadows aside) is Ready. */
  AllApisReady(ConditionType.Ready),
  /** Splitter Ready False: an API behind it is missing or not Ready. */
  ApisNotReady(ConditionType.Ready),
  /** Splitter Ready Unknown: no API is not ready, but some cannot tell (runtime none). */
  ApisReadinessUnknown(ConditionType.Ready),
  NoRollout(ConditionType.RolloutInProgress),
  WaitingForReady(ConditionType.RolloutInProgress),
  ShiftingTraffic(ConditionType.RolloutInProgress),
  Complete(ConditionType.RolloutInProgress),
  RolledBack(ConditionType.RolloutInProgress),
  /** A replica died crash-loop-restarts times without staying up. */
  CrashLoop(ConditionType.Degraded),
  /** A replica died recently; it is restarting or ready again. */
  ReplicaCrashed(ConditionType.Degraded),
  Healthy(ConditionType.Degraded);

  private final ConditionType type;

  ConditionReason(ConditionType type) {
    this.type = type;
  }

  public ConditionType type() {
    return type;
  }
}
