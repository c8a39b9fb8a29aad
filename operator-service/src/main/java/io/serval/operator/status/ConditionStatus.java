package io.serval.operator.status;

/** A condition's status as Kubernetes spells it. */
public enum ConditionStatus {
  True,
  False,
  /** Not known: e.g. runtime none runs no replicas, so it cannot say whether they are ready. */
  Unknown;

  public static ConditionStatus of(boolean value) {
    return value ? True : False;
  }
}
