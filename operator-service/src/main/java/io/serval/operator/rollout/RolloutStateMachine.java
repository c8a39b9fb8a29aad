package io.serval.operator.rollout;

import io.serval.operator.spec.RolloutSpec;
import io.serval.operator.state.RolloutState;
import io.serval.specrules.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Moves a rollout one step given what the runtime sees of the new revision. Pure: the time comes in
 * with the observation. BlueGreen has the single step [100]; Canary walks its steps one per
 * stepInterval. A target that is not ready within readyTimeout, crash-loops, loses every ready
 * replica while it has traffic, or (canary analysis) fails a larger share of its requests during a
 * step than the old revision by more than the spec's margin is rolled back.
 */
public final class RolloutStateMachine {

  private RolloutStateMachine() {}

  /**
   * What the runtime sees of the rollout's target revision, and what the replicas of the target
   * ({@code to}) and of the old revision ({@code from}) answered since the current step began.
   */
  public record Observation(
      Instant now,
      int targetReady,
      int targetDesired,
      boolean targetCrashLooping,
      Outcomes target,
      Outcomes source) {
    /** An observation with no request outcomes (nothing answered yet). */
    public Observation(
        Instant now, int targetReady, int targetDesired, boolean targetCrashLooping) {
      this(now, targetReady, targetDesired, targetCrashLooping, Outcomes.NONE, Outcomes.NONE);
    }
  }

  /**
   * The next state and traffic; {@code abortReason} is set when the rollout must be rolled back
   * (the caller restores the old revision's spec).
   */
  public record Decision(
      RolloutState state, Map<String, Integer> traffic, Optional<String> abortReason) {
    public boolean changed(RolloutState before, Map<String, Integer> trafficBefore) {
      return !state.equals(before) || !traffic.equals(trafficBefore) || abortReason.isPresent();
    }
  }

  public static Decision next(
      RolloutState s, RolloutSpec spec, Map<String, Integer> traffic, Observation o) {
    if (s == null || !s.inProgress()) {
      return new Decision(s, traffic, Optional.empty());
    }
    List<Integer> steps = spec.steps();
    Duration inPhase = Duration.between(s.since(), o.now());
    if (o.targetDesired() == 0) {
      // Scaled to zero: no traffic to protect, the new revision takes over when woken.
      return complete(s, o.now());
    }
    if (o.targetCrashLooping()) {
      return abort(
          s, traffic, "revision " + s.to() + " is crash-looping; rolled back to " + s.from());
    }
    if (s.phase() == RolloutState.Phase.WAITING_FOR_READY) {
      if (o.targetReady() >= o.targetDesired()) {
        return step(s, 0, steps, o.now());
      }
      if (inPhase.compareTo(spec.readyTimeout()) > 0) {
        return abort(
            s,
            traffic,
            "revision "
                + s.to()
                + " not ready within "
                + Durations.format(spec.readyTimeout())
                + " ("
                + o.targetReady()
                + "/"
                + o.targetDesired()
                + " ready); rolled back to "
                + s.from());
      }
      return new Decision(s, traffic, Optional.empty());
    }
    if (o.targetReady() == 0) {
      return abort(
          s,
          traffic,
          "revision " + s.to() + " lost every ready replica; rolled back to " + s.from());
    }
    Optional<String> failing = failingMoreThanTheOldRevision(s, spec, o);
    if (failing.isPresent()) {
      return abort(s, traffic, failing.get());
    }
    if (inPhase.compareTo(spec.stepInterval()) >= 0) {
      return step(s, s.step() + 1, steps, o.now());
    }
    return new Decision(s, traffic, Optional.empty());
  }

  private static Optional<String> failingMoreThanTheOldRevision(
      RolloutState s, RolloutSpec spec, Observation o) {
    Outcomes target = o.target();
    if (target.answered() < spec.minRequests()) {
      return Optional.empty();
    }
    double increase = target.failurePercent() - o.source().failurePercent();
    if (increase <= spec.maxErrorRateIncrease()) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "revision %s failed %d of %d requests (%.1f%%) during step %d, against %.1f%% on"
                + " revision %s (%d answered); more than %.1f points worse: rolled back to %s",
            s.to(),
            target.failed(),
            target.answered(),
            target.failurePercent(),
            s.step() + 1,
            o.source().failurePercent(),
            s.from(),
            o.source().answered(),
            spec.maxErrorRateIncrease(),
            s.from()));
  }

  private static Decision step(RolloutState s, int index, List<Integer> steps, Instant now) {
    int share = index < steps.size() ? steps.get(index) : 100;
    if (share >= 100) {
      return complete(s, now);
    }
    RolloutState next =
        new RolloutState(
            s.from(),
            s.to(),
            RolloutState.Phase.SHIFTING,
            index,
            now,
            share
                + "% of traffic on revision "
                + s.to()
                + " (step "
                + (index + 1)
                + " of "
                + steps.size()
                + ")");
    return new Decision(next, Map.of(s.to(), share, s.from(), 100 - share), Optional.empty());
  }

  private static Decision complete(RolloutState s, Instant now) {
    return new Decision(
        RolloutState.complete(s.from(), s.to(), now), Map.of(s.to(), 100), Optional.empty());
  }

  private static Decision abort(RolloutState s, Map<String, Integer> traffic, String reason) {
    return new Decision(s, traffic, Optional.of(reason));
  }
}
