package io.serval.operator.rollout;

/**
 * What the replicas of one revision answered over some period: the routers' counts of requests they
 * took, and of those that failed.
 */
public record Outcomes(long answered, long failed) {
  public static final Outcomes NONE = new Outcomes(0, 0);

  /** Failed answers in percent; 0 when nothing was answered. */
  public double failurePercent() {
    return answered == 0 ? 0 : 100.0 * failed / answered;
  }
}
