package io.serval.operator.rollout;

import io.serval.operator.spec.RealtimeApi;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.RevisionRecord;
import io.serval.operator.state.RolloutState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every change a running rollout makes to an API's record, in one place: a step (new rollout state
 * and traffic) and an abort (back to the revision that serves traffic). Pure: the caller stores the
 * result. Starting a rollout is the deploy planner's, since it comes with the new revision.
 */
public final class RolloutTransitions {

  private RolloutTransitions() {}

  /**
   * The record after {@code decision}, taken on {@code seen}; the current record unchanged when its
   * rollout moved since (someone else changed it: a deploy, a rollback, another tick).
   */
  public static ApiRecord apply(
      ApiRecord current, RolloutState seen, RolloutStateMachine.Decision decision, Instant now) {
    if (!seen.equals(current.rollout())) {
      return current;
    }
    if (decision.abortReason().isPresent()) {
      return abort(current, decision.abortReason().get(), now);
    }
    return current.withRollout(decision.state(), decision.traffic(), now);
  }

  /**
   * An automatic rollback: the rollout's target failed, so the spec returns to the revision that
   * serves traffic and the failure is kept in the rollout state.
   */
  public static ApiRecord abort(ApiRecord current, String reason, Instant now) {
    RolloutState r = current.rollout();
    if (r == null || !r.inProgress()) {
      return current;
    }
    RevisionRecord from =
        current
            .revision(r.from())
            .orElseThrow(
                () -> new IllegalStateException("revision " + r.from() + " not in history"));
    List<RevisionRecord> history = new ArrayList<>(current.history());
    history.removeIf(h -> h.id().equals(from.id()));
    history.add(from);
    RealtimeApi api =
        current
            .api()
            .withSpec(
                current
                    .api()
                    .spec()
                    .withRevisionSections(from.model(), from.predictor(), from.compute()));
    return new ApiRecord(
        api,
        current.generation() + 1,
        history,
        Map.of(from.id(), 100),
        current.desiredReplicas(),
        current.scaleReason(),
        new RolloutState(r.from(), r.to(), RolloutState.Phase.ROLLED_BACK, r.step(), now, reason),
        current.createdAt(),
        now);
  }
}
