package io.serval.autoscaler.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.autoscaler.aggregation.InFlightAverage;
import io.serval.autoscaler.simulation.SimulatedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ScalingPolicyTest {

  private final SimulatedClock clock = new SimulatedClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ScalingPolicy policy = new ScalingPolicy(clock);
  private final ScalingState state = new ScalingState();

  /** No stabilization, no panic: only the per-tick rules act. */
  private static AutoscalingSpec.Builder plain(double target) {
    return AutoscalingSpec.cortexDefaults(target)
        .upscaleStabilizationPeriod(Duration.ZERO)
        .downscaleStabilizationPeriod(Duration.ZERO);
  }

  private ScalingDecision decide(AutoscalingSpec spec, int cur, double windowAvg) {
    return decide(spec, cur, cur, windowAvg, windowAvg);
  }

  private ScalingDecision decide(
      AutoscalingSpec spec, int cur, int ready, double windowAvg, double panicAvg) {
    ScalingInput in =
        new ScalingInput(
            spec,
            cur,
            ready,
            Optional.of(new InFlightAverage(windowAvg, 60, 1)),
            spec.panic().map(p -> new InFlightAverage(panicAvg, 6, 1)),
            windowAvg > 0 ? Optional.of(clock.instant()) : Optional.empty());
    return policy.decide(in, state);
  }

  private void tick() {
    clock.advance(Duration.ofSeconds(10));
  }

  /** A decision with async requests waiting in the store ({@code backlog}, window average). */
  private ScalingDecision decideWithBacklog(
      AutoscalingSpec spec, int cur, double windowAvg, double backlog) {
    ScalingInput in =
        new ScalingInput(
            spec,
            cur,
            cur,
            Optional.of(new InFlightAverage(windowAvg, 60, 1)),
            spec.panic().map(p -> new InFlightAverage(windowAvg, 6, 1)),
            windowAvg > 0 || backlog > 0 ? Optional.of(clock.instant()) : Optional.empty(),
            backlog);
    return policy.decide(in, state);
  }

  @Nested
  class AsyncBacklog {

    @Test
    void theBacklogCountsLikeRequestsInFlightPerReplicaTarget() {
      // target 4 per replica: 8 in flight + 24 waiting = 32 -> 8 replicas (the factor allows 4 ->
      // 8 only with maxUpscaleFactor 2).
      AutoscalingSpec spec = plain(4).maxUpscaleFactor(2).build();
      ScalingDecision d = decideWithBacklog(spec, 4, 8, 24);
      assertThat(d.rawRecommendation().getAsDouble()).isEqualTo(8.0);
      assertThat(d.desiredReplicas()).isEqualTo(8);
      assertThat(d.steps()).extracting(ScalingStep::rule).first().isEqualTo("async-backlog");
      assertThat(d.steps().getFirst().from()).isEqualTo(2.0);
      assertThat(d.steps().getFirst().to()).isEqualTo(8.0);
    }

    @Test
    void withoutBacklogNothingChanges() {
      ScalingDecision d = decideWithBacklog(plain(4).build(), 4, 16, 0);
      assertThat(d.desiredReplicas()).isEqualTo(4);
      assertThat(d.steps()).extracting(ScalingStep::rule).doesNotContain("async-backlog");
    }

    @Test
    void aBacklogWakesAnApiAtZeroReplicasWithNothingInFlight() {
      AutoscalingSpec spec = AutoscalingSpec.servalDefaults(8).minReplicas(0).build();
      decideWithBacklog(spec, 0, 0, 0);
      tick();
      ScalingDecision d = decideWithBacklog(spec, 0, 0, 0.5);
      assertThat(d.desiredReplicas()).isEqualTo(1);
      assertThat(d.steps()).extracting(ScalingStep::rule).contains("scale-from-zero");
    }

    @Test
    void anApiWithABacklogIsNeverScaledToZero() {
      AutoscalingSpec spec = AutoscalingSpec.servalDefaults(8).minReplicas(0).build();
      // Long past the downscale period, nothing in flight, but requests wait (e.g. the only
      // replica is busy elsewhere or just crashed): it stays at one.
      for (int t = 0; t < 100; t++) {
        assertThat(decideWithBacklog(spec, 1, 0, 0.1).desiredReplicas())
            .as("tick %d", t)
            .isEqualTo(1);
        tick();
      }
    }

    @Test
    void aNegativeOrInfiniteBacklogIsRefused() {
      AutoscalingSpec spec = plain(1).build();
      assertThatThrownBy(() -> decideWithBacklog(spec, 1, 0, -1))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> decideWithBacklog(spec, 1, 0, Double.POSITIVE_INFINITY))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class CortexWorkedExamples {

    @Test
    void capacityTwoAndLoadEightGivesFourReplicas() {
      assertThat(decide(plain(2).build(), 4, 8).desiredReplicas()).isEqualTo(4);
    }

    @Test
    void targetOnePointSixGivesFiveReplicasThatIsTwentyFivePercentHeadroom() {
      ScalingDecision d = decide(plain(1.6).build(), 4, 8);
      assertThat(d.desiredReplicas()).isEqualTo(5);
      assertThat(d.rawRecommendation().getAsDouble()).isEqualTo(5.0);
    }

    @Test
    void overprovisioningQuarterGivesTheSameFiveAsTargetOnePointSix() {
      ScalingDecision d = decide(plain(2).overprovisioning(0.25).build(), 4, 8);
      assertThat(d.desiredReplicas()).isEqualTo(5);
      assertThat(d.rawRecommendation().getAsDouble()).isEqualTo(4.0);
      assertThat(d.steps()).extracting(ScalingStep::rule).containsExactly("overprovisioning");
    }
  }

  @Nested
  class Tolerances {

    @Test
    void withinDownscaleToleranceKeepsCurrent() {
      ScalingDecision d = decide(plain(1).build(), 40, 38.5);
      assertThat(d.desiredReplicas()).isEqualTo(40);
      assertThat(d.steps()).extracting(ScalingStep::rule).contains("downscale-tolerance");
    }

    @Test
    void beyondDownscaleToleranceScalesDown() {
      assertThat(decide(plain(1).build(), 40, 37.5).desiredReplicas()).isEqualTo(38);
    }

    @Test
    void withinUpscaleToleranceKeepsCurrent() {
      ScalingDecision d = decide(plain(1).build(), 40, 41.5);
      assertThat(d.desiredReplicas()).isEqualTo(40);
      assertThat(d.steps()).extracting(ScalingStep::rule).contains("upscale-tolerance");
    }

    @Test
    void beyondUpscaleToleranceScalesUp() {
      assertThat(decide(plain(1).build(), 40, 42.5).desiredReplicas()).isEqualTo(43);
    }
  }

  @Nested
  class Factors {

    @Test
    void upscaleIsLimitedToTheFactor() {
      ScalingDecision d = decide(plain(1).build(), 4, 20);
      assertThat(d.desiredReplicas()).isEqualTo(6);
      assertThat(d.steps()).extracting(ScalingStep::rule).contains("max-upscale-factor");
    }

    @Test
    void oneMoreIsAlwaysAllowed() {
      assertThat(decide(plain(1).build(), 1, 20).desiredReplicas()).isEqualTo(2);
    }

    @Test
    void downscaleIsLimitedToTheFactor() {
      ScalingDecision d = decide(plain(1).build(), 8, 1);
      assertThat(d.desiredReplicas()).isEqualTo(6);
      assertThat(d.steps()).extracting(ScalingStep::rule).contains("max-downscale-factor");
    }

    @Test
    void oneLessIsAlwaysAllowed() {
      assertThat(decide(plain(1).build(), 2, 0.5).desiredReplicas()).isEqualTo(1);
    }
  }

  @Nested
  class Clamps {

    @Test
    void neverBelowMinReplicas() {
      ScalingDecision d = decide(plain(1).minReplicas(3).build(), 3, 0.5);
      assertThat(d.desiredReplicas()).isEqualTo(3);
      assertThat(d.steps()).extracting(ScalingStep::rule).contains("min-replicas");
    }

    @Test
    void neverAboveMaxReplicas() {
      ScalingDecision d = decide(plain(1).maxReplicas(5).build(), 4, 5.9);
      assertThat(d.desiredReplicas()).isEqualTo(5);
      assertThat(d.steps()).extracting(ScalingStep::rule).contains("max-replicas");
    }
  }

  @Nested
  class Stabilization {

    private final AutoscalingSpec spec =
        AutoscalingSpec.cortexDefaults(1).maxDownscaleFactor(0.1).build();

    @Test
    void startUpRuleHoldsDownscaleForTheDownscalePeriod() {
      for (int t = 0; t < 30; t++) { // 300 s: the start-up rule holds
        ScalingDecision d = decide(spec, 4, 1);
        assertThat(d.desiredReplicas()).as("tick %d", t).isEqualTo(4);
        assertThat(d.steps()).extracting(ScalingStep::rule).contains("downscale-start-up");
        tick();
      }
      assertThat(decide(spec, 4, 1).desiredReplicas()).isEqualTo(1);
    }

    @Test
    void startUpRuleHoldsUpscaleForTheUpscalePeriod() {
      for (int t = 0; t < 6; t++) {
        assertThat(decide(spec, 2, 3).desiredReplicas()).as("tick %d", t).isEqualTo(2);
        tick();
      }
      assertThat(decide(spec, 2, 3).desiredReplicas()).isEqualTo(3);
    }

    @Test
    void downscaleWaitsForTheHighestRecommendationOfThePeriod() {
      for (int t = 0; t < 31; t++) { // past start-up, history full of 4s
        decide(spec, 4, 4);
        tick();
      }
      for (int t = 0; t < 30; t++) {
        ScalingDecision d = decide(spec, 4, 1);
        assertThat(d.desiredReplicas()).as("tick %d after the drop", t).isEqualTo(4);
        tick();
      }
      ScalingDecision d = decide(spec, 4, 1);
      assertThat(d.desiredReplicas()).isEqualTo(1);
    }

    @Test
    void upscaleWaitsForTheLowestRecommendationOfThePeriod() {
      for (int t = 0; t < 7; t++) {
        decide(spec, 2, 2);
        tick();
      }
      for (int t = 0; t < 6; t++) {
        ScalingDecision d = decide(spec, 2, 3);
        assertThat(d.desiredReplicas()).as("tick %d after the rise", t).isEqualTo(2);
        assertThat(d.steps()).extracting(ScalingStep::rule).contains("upscale-stabilization");
        tick();
      }
      assertThat(decide(spec, 2, 3).desiredReplicas()).isEqualTo(3);
    }
  }

  @Nested
  class Panic {

    private final AutoscalingSpec spec = AutoscalingSpec.servalDefaults(8).build();

    @Test
    void panicIsCalledForFromThresholdTimesTheReadyReplicasCountingNoneAsOne() {
      // target 8, threshold 2: from 16 in flight per ready replica
      assertThat(ScalingPolicy.panicCalledFor(spec, 1, average(16))).isTrue();
      assertThat(ScalingPolicy.panicCalledFor(spec, 1, average(15.9))).isFalse();
      assertThat(ScalingPolicy.panicCalledFor(spec, 2, average(31.9))).isFalse();
      assertThat(ScalingPolicy.panicCalledFor(spec, 2, average(32))).isTrue();
      assertThat(ScalingPolicy.panicCalledFor(spec, 0, average(16))).isTrue();
      // overprovisioning counts: 14 x 1.25 / 8 = 2.19 replicas, 12 x 1.25 / 8 = 1.88
      AutoscalingSpec spare = spec.toBuilder().overprovisioning(0.25).build();
      assertThat(ScalingPolicy.panicCalledFor(spare, 1, average(14))).isTrue();
      assertThat(ScalingPolicy.panicCalledFor(spare, 1, average(12))).isFalse();
      assertThat(
              ScalingPolicy.panicCalledFor(
                  AutoscalingSpec.cortexDefaults(8).build(), 1, average(1000)))
          .as("no panic section, no panic")
          .isFalse();
    }

    private InFlightAverage average(double value) {
      return new InFlightAverage(value, 6, 1);
    }

    private void warmUp(int cur, double load) {
      for (int t = 0; t < 31; t++) {
        decide(spec, cur, cur, load, load);
        tick();
      }
    }

    @Test
    void burstScalesUpAtOnceToThePanicRecommendation() {
      warmUp(2, 12);
      ScalingDecision d = decide(spec, 2, 2, 14, 40); // 5 replicas called for, 2 ready
      assertThat(d.panic()).isTrue();
      assertThat(d.desiredReplicas()).isEqualTo(5);
      assertThat(d.steps()).extracting(ScalingStep::rule).contains("panic");
    }

    @Test
    void belowThresholdIsNoPanic() {
      warmUp(2, 12);
      ScalingDecision d = decide(spec, 2, 2, 14, 31); // 3.9 < 2 x 2 ready
      assertThat(d.panic()).isFalse();
      assertThat(d.desiredReplicas()).isEqualTo(2); // upscale stabilization still holds
    }

    @Test
    void noScaleDownUntilBelowThresholdForAWholeWindow() {
      warmUp(2, 12);
      decide(spec, 2, 2, 14, 40);
      // load gone: the stable path would shrink, panic holds the 5 for the 60 s window
      for (int t = 0; t < 5; t++) {
        tick();
        ScalingDecision d = decide(spec, 5, 5, 0.5, 0.5);
        assertThat(d.panic()).as("tick %d", t).isTrue();
        assertThat(d.desiredReplicas()).as("tick %d", t).isEqualTo(5);
      }
      tick(); // 60 s since the threshold was last reached
      ScalingDecision d = decide(spec, 5, 5, 0.5, 0.5);
      assertThat(d.panic()).isFalse();
      assertThat(d.steps()).extracting(ScalingStep::rule).contains("panic-exit");
    }

    @Test
    void aRenewedBurstExtendsPanic() {
      warmUp(2, 12);
      decide(spec, 2, 2, 14, 40);
      for (int t = 0; t < 5; t++) {
        tick();
        decide(spec, 5, 5, 20, 10);
      }
      tick();
      assertThat(decide(spec, 5, 5, 20, 90).panic()).isTrue(); // 11.25 >= 2 x 5
      for (int t = 0; t < 5; t++) {
        tick();
        assertThat(decide(spec, 12, 12, 20, 10).desiredReplicas()).isEqualTo(12);
      }
    }

    @Test
    void cortexDefaultsHaveNoPanic() {
      AutoscalingSpec cortex = AutoscalingSpec.cortexDefaults(8).build();
      for (int t = 0; t < 31; t++) {
        decide(cortex, 2, 2, 12, 12);
        tick();
      }
      ScalingDecision d = decide(cortex, 2, 2, 14, 40);
      assertThat(d.panic()).isFalse();
      assertThat(d.desiredReplicas()).isEqualTo(2);
    }
  }

  @Nested
  class Zero {

    private final AutoscalingSpec spec = AutoscalingSpec.servalDefaults(8).minReplicas(0).build();

    @Test
    void scalesToZeroExactlyAfterTheDownscalePeriodWithoutRequests() {
      for (int t = 0; t < 31; t++) {
        decide(spec, 1, 1, 4, 4);
        tick();
      }
      Instant lastActive = clock.instant().minusSeconds(10);
      for (int t = 0; t < 29; t++) {
        ScalingDecision d = decide(spec, 1, 1, 0, 0);
        assertThat(d.desiredReplicas())
            .as("%s after the last request", Duration.between(lastActive, clock.instant()))
            .isEqualTo(1);
        tick();
      }
      ScalingDecision d = decide(spec, 1, 1, 0, 0);
      assertThat(d.desiredReplicas()).isZero();
      assertThat(d.steps()).extracting(ScalingStep::rule).contains("scale-to-zero");
    }

    @Test
    void neverScalesToZeroWithMinReplicasOne() {
      AutoscalingSpec one = spec.toBuilder().minReplicas(1).initReplicas(1).build();
      for (int t = 0; t < 100; t++) {
        assertThat(decide(one, 1, 1, 0, 0).desiredReplicas()).isEqualTo(1);
        tick();
      }
    }

    @Test
    void scalesFromZeroAtOnceWhenRequestsWait() {
      decide(spec, 0, 0, 0, 0);
      tick();
      ScalingDecision d = decide(spec, 0, 0, 0.2, 1);
      assertThat(d.desiredReplicas()).isEqualTo(1);
      assertThat(d.steps()).extracting(ScalingStep::rule).contains("scale-from-zero");
    }

    @Test
    void aWokenApiIsNotScaledBackToZeroBeforeTheDownscalePeriod() {
      for (int t = 0; t < 40; t++) {
        decide(spec, 0, 0, 0, 0);
        tick();
      }
      // the operator served a router's WakeUp: 1 replica, and no sample shows the request yet
      ScalingDecision woken = decide(spec, 1, 0, 0, 0);
      assertThat(woken.wokenUp()).isTrue();
      assertThat(woken.desiredReplicas()).isEqualTo(1);
      for (int t = 0; t < 29; t++) {
        tick();
        assertThat(decide(spec, 1, 1, 0, 0).desiredReplicas()).as("tick %d", t).isEqualTo(1);
      }
      tick();
      assertThat(decide(spec, 1, 1, 0, 0).desiredReplicas()).isZero();
    }
  }

  @Nested
  class InputsAndSpec {

    @Test
    void withoutSamplesHoldsTheCurrentReplicas() {
      AutoscalingSpec spec = AutoscalingSpec.servalDefaults(8).build();
      ScalingDecision d =
          policy.decide(
              new ScalingInput(spec, 3, 3, Optional.empty(), Optional.empty(), Optional.empty()),
              state);
      assertThat(d.desiredReplicas()).isEqualTo(3);
      assertThat(d.rawRecommendation()).isEmpty();
      assertThat(d.summary()).contains("no in-flight samples");
    }

    @Test
    void invalidSpecNamesEveryBadField() {
      assertThatThrownBy(
              () ->
                  AutoscalingSpec.servalDefaults(0)
                      .minReplicas(5)
                      .maxReplicas(2)
                      .maxDownscaleFactor(1.5)
                      .build())
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("targetInFlight")
          .hasMessageContaining("maxReplicas")
          .hasMessageContaining("maxDownscaleFactor");
    }
  }
}
