package io.serval.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.operator.rollout.RolloutStateMachine.Decision;
import io.serval.operator.rollout.RolloutStateMachine.Observation;
import io.serval.operator.spec.RolloutSpec;
import io.serval.operator.spec.RolloutStrategy;
import io.serval.operator.state.RolloutState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutStateMachineTest {

  private final Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
  private final RolloutSpec blueGreen =
      new RolloutSpec(
          RolloutStrategy.BlueGreen,
          List.of(100),
          Duration.ofSeconds(30),
          Duration.ofMinutes(10),
          null,
          null);
  private final RolloutSpec canary =
      new RolloutSpec(
          RolloutStrategy.Canary,
          List.of(10, 50, 100),
          Duration.ofSeconds(30),
          Duration.ofMinutes(2),
          5.0,
          20);
  private final RolloutState started = RolloutState.start("old", "new", t0);
  private final Map<String, Integer> allOld = Map.of("old", 100);

  private Instant at(int seconds) {
    return t0.plusSeconds(seconds);
  }

  @Test
  void blueGreenWaitsForEveryReplicaThenSwitchesAtOnce() {
    Decision waiting =
        RolloutStateMachine.next(started, blueGreen, allOld, new Observation(at(5), 1, 2, false));
    assertThat(waiting.state()).isEqualTo(started);
    assertThat(waiting.traffic()).isEqualTo(allOld);
    Decision done =
        RolloutStateMachine.next(started, blueGreen, allOld, new Observation(at(6), 2, 2, false));
    assertThat(done.state().phase()).isEqualTo(RolloutState.Phase.COMPLETE);
    assertThat(done.traffic()).containsExactly(Map.entry("new", 100));
    assertThat(done.abortReason()).isEmpty();
  }

  @Test
  void canaryWalksItsStepsOnePerInterval() {
    Decision d =
        RolloutStateMachine.next(started, canary, allOld, new Observation(at(3), 2, 2, false));
    assertThat(d.state().phase()).isEqualTo(RolloutState.Phase.SHIFTING);
    assertThat(d.traffic()).containsOnly(Map.entry("new", 10), Map.entry("old", 90));
    assertThat(d.state().message()).isEqualTo("10% of traffic on revision new (step 1 of 3)");

    Decision early =
        RolloutStateMachine.next(
            d.state(), canary, d.traffic(), new Observation(at(32), 2, 2, false));
    assertThat(early.state()).isEqualTo(d.state());

    Decision second =
        RolloutStateMachine.next(
            d.state(), canary, d.traffic(), new Observation(at(33), 2, 2, false));
    assertThat(second.traffic()).containsOnly(Map.entry("new", 50), Map.entry("old", 50));

    Decision last =
        RolloutStateMachine.next(
            second.state(), canary, second.traffic(), new Observation(at(63), 2, 2, false));
    assertThat(last.state().phase()).isEqualTo(RolloutState.Phase.COMPLETE);
    assertThat(last.traffic()).containsExactly(Map.entry("new", 100));
  }

  @Test
  void rollsBackWhenNotReadyWithinTheTimeout() {
    Decision ok =
        RolloutStateMachine.next(started, canary, allOld, new Observation(at(120), 0, 2, false));
    assertThat(ok.abortReason()).isEmpty();
    Decision late =
        RolloutStateMachine.next(started, canary, allOld, new Observation(at(121), 1, 2, false));
    assertThat(late.abortReason())
        .contains("revision new not ready within 2m (1/2 ready); rolled back to old");
    assertThat(late.traffic()).isEqualTo(allOld);
  }

  @Test
  void rollsBackWhenTheTargetCrashLoopsOrLosesItsReplicasMidShift() {
    assertThat(
            RolloutStateMachine.next(started, blueGreen, allOld, new Observation(at(1), 0, 2, true))
                .abortReason())
        .contains("revision new is crash-looping; rolled back to old");
    Decision shifting =
        RolloutStateMachine.next(started, canary, allOld, new Observation(at(1), 2, 2, false));
    Decision lost =
        RolloutStateMachine.next(
            shifting.state(), canary, shifting.traffic(), new Observation(at(5), 0, 2, false));
    assertThat(lost.abortReason())
        .contains("revision new lost every ready replica; rolled back to old");
  }

  @Test
  void finishedOrScaledToZeroRolloutsNeedNoWaiting() {
    RolloutState complete = RolloutState.complete("old", "new", t0);
    Decision same =
        RolloutStateMachine.next(
            complete, canary, Map.of("new", 100), new Observation(at(1), 0, 0, true));
    assertThat(same.state()).isEqualTo(complete);
    assertThat(same.abortReason()).isEmpty();
    Decision zero =
        RolloutStateMachine.next(started, canary, allOld, new Observation(at(1), 0, 0, false));
    assertThat(zero.traffic()).containsExactly(Map.entry("new", 100));
  }

  private Decision firstStep() {
    return RolloutStateMachine.next(started, canary, allOld, new Observation(at(3), 2, 2, false));
  }

  private Observation answered(int seconds, Outcomes target, Outcomes source) {
    return new Observation(at(seconds), 2, 2, false, target, source);
  }

  @Test
  void aCanaryFailingMoreThanTheOldRevisionByTheMarginIsRolledBack() {
    Decision step = firstStep();
    Decision d =
        RolloutStateMachine.next(
            step.state(),
            canary,
            step.traffic(),
            answered(10, new Outcomes(40, 12), new Outcomes(360, 4)));
    assertThat(d.abortReason())
        .hasValueSatisfying(
            r ->
                assertThat(r)
                    .isEqualTo(
                        "revision new failed 12 of 40 requests (30.0%) during step 1, against 1.1%"
                            + " on revision old (360 answered); more than 5.0 points worse:"
                            + " rolled back to old"));
    assertThat(d.traffic()).as("the caller restores the old revision").isEqualTo(step.traffic());
  }

  @Test
  void aCanaryWithinTheMarginGoesOn() {
    Decision step = firstStep();
    // 6% against 2%: 4 points worse, the margin is 5
    Decision d =
        RolloutStateMachine.next(
            step.state(),
            canary,
            step.traffic(),
            answered(34, new Outcomes(50, 3), new Outcomes(450, 9)));
    assertThat(d.abortReason()).isEmpty();
    assertThat(d.traffic()).containsOnly(Map.entry("new", 50), Map.entry("old", 50));
  }

  @Test
  void tooFewAnswersAreNotJudged() {
    Decision step = firstStep();
    Decision d =
        RolloutStateMachine.next(
            step.state(),
            canary,
            step.traffic(),
            answered(10, new Outcomes(19, 19), new Outcomes(200, 0)));
    assertThat(d.abortReason()).isEmpty();
    Decision judged =
        RolloutStateMachine.next(
            step.state(),
            canary,
            step.traffic(),
            answered(11, new Outcomes(20, 19), new Outcomes(200, 0)));
    assertThat(judged.abortReason()).isPresent();
  }

  @Test
  void failuresBothRevisionsShareAreNotTheCanarysFault() {
    Decision step = firstStep();
    // a client sending bad requests: both revisions refuse a quarter of them
    Decision d =
        RolloutStateMachine.next(
            step.state(),
            canary,
            step.traffic(),
            answered(10, new Outcomes(100, 25), new Outcomes(900, 225)));
    assertThat(d.abortReason()).isEmpty();
  }

  @Test
  void noAnalysisBeforeTheCanaryHasTraffic() {
    Decision waiting =
        RolloutStateMachine.next(
            started,
            canary,
            allOld,
            new Observation(at(1), 1, 2, false, new Outcomes(100, 100), Outcomes.NONE));
    assertThat(waiting.abortReason()).isEmpty();
    assertThat(waiting.state()).isEqualTo(started);
  }
}
