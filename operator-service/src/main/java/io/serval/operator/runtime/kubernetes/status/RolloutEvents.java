package io.serval.operator.runtime.kubernetes.status;

import io.serval.operator.state.RolloutState;
import java.util.Objects;
import java.util.Optional;

/** The Event a rollout's move from one state to the next deserves, if any. Pure. */
public final class RolloutEvents {

  private RolloutEvents() {}

  public static Optional<EventNote> between(RolloutState before, RolloutState after) {
    if (after == null || Objects.equals(before, after)) {
      return Optional.empty();
    }
    boolean sameRollout =
        before != null && before.from().equals(after.from()) && before.to().equals(after.to());
    if (!sameRollout) {
      if (after.inProgress()) {
        boolean rollback = before != null && after.to().equals(before.from());
        return Optional.of(
            EventNote.normal(
                rollback ? "RollbackStarted" : "RolloutStarted",
                (rollback ? "rolling back to revision " : "rolling out revision ")
                    + after.to()
                    + " (from "
                    + after.from()
                    + ")"));
      }
      return terminal(after);
    }
    if (before.phase() == after.phase() && before.step() == after.step()) {
      return Optional.empty();
    }
    return switch (after.phase()) {
      case SHIFTING -> Optional.of(EventNote.normal("TrafficShifted", after.message()));
      case WAITING_FOR_READY -> Optional.empty();
      case COMPLETE, ROLLED_BACK -> terminal(after);
    };
  }

  private static Optional<EventNote> terminal(RolloutState s) {
    return switch (s.phase()) {
      case COMPLETE ->
          s.from().equals(s.to())
              ? Optional.empty()
              : Optional.of(EventNote.normal("RolloutComplete", s.message()));
      case ROLLED_BACK -> Optional.of(EventNote.warning("RolledBack", s.message()));
      default -> Optional.empty();
    };
  }
}
