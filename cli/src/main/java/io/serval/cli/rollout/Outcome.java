package io.serval.cli.rollout;

/** Where following one resource stands. */
public enum Outcome {
  /** Not settled yet. */
  FOLLOWING,
  /** Every requested replica of the deployed revision is ready and takes all the traffic. */
  READY,
  /** The platform gave up on the new revision and moved the traffic back. */
  ROLLED_BACK,
  /** A replica keeps dying. */
  DEGRADED;

  public boolean settled() {
    return this != FOLLOWING;
  }

  public boolean failed() {
    return this == ROLLED_BACK || this == DEGRADED;
  }
}
