package io.serval.operator.spec;

/** How traffic moves to a new revision. */
public enum RolloutStrategy {
  /** All traffic moves at once when the new revision is fully ready. */
  BlueGreen,
  /** Traffic moves in steps (percent of traffic on the new revision), one per stepInterval. */
  Canary
}
