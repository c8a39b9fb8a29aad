package io.serval.operator.state;

import java.time.Instant;

/**
 * Where the rollout of an API to a new revision stands. {@code step} is the index into the spec's
 * steps while shifting (-1 before the first step). Terminal phases are kept so that status can say
 * how the last rollout ended.
 */
public record RolloutState(
    String from, String to, Phase phase, int step, Instant since, String message) {

  public enum Phase {
    /** The new revision's replicas are starting; all traffic stays on the old revision. */
    WAITING_FOR_READY,
    /** Traffic moves to the new revision step by step. */
    SHIFTING,
    /** All traffic is on the new revision. */
    COMPLETE,
    /** The new revision failed; all traffic is back on the old one. */
    ROLLED_BACK
  }

  public boolean inProgress() {
    return phase == Phase.WAITING_FOR_READY || phase == Phase.SHIFTING;
  }

  public static RolloutState start(String from, String to, Instant now) {
    return new RolloutState(
        from, to, Phase.WAITING_FOR_READY, -1, now, "waiting for revision " + to + " to be ready");
  }

  public static RolloutState complete(String from, String to, Instant now) {
    return new RolloutState(from, to, Phase.COMPLETE, -1, now, "all traffic on revision " + to);
  }
}
