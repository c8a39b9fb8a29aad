package io.serval.bench.burst;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BurstTimelineTest {
  static final long STEP = 1_000_000L;

  /** The replica that ran before the step, serving all along. */
  static final ReplicaState OLD = new ReplicaState("r-old", STEP - 60_000, true, 500);

  static Decision decision(long at, boolean panic, int desired, String delivery, long deliveredAt) {
    return new Decision(at, panic, desired, 1, 8.0, delivery, desired, deliveredAt);
  }

  static ProbeSample sample(long at, Decision d, int ready, ReplicaState... replicas) {
    return new ProbeSample(at, Optional.ofNullable(d), List.of(replicas), 2, ready);
  }

  /** A burst as the probe sees it, every 100 ms. */
  static List<ProbeSample> burst() {
    List<ProbeSample> s = new ArrayList<>();
    Decision steady = decision(STEP - 300, false, 1, "UNCHANGED", STEP - 300);
    s.add(sample(STEP - 100, steady, 1, OLD));
    s.add(sample(STEP + 100, steady, 1, OLD));
    // A decision after the step that keeps one replica is not the scale-up.
    Decision keep = decision(STEP + 200, false, 1, "UNCHANGED", STEP + 200);
    s.add(sample(STEP + 300, keep, 1, OLD));
    Decision up = decision(STEP + 1_200, true, 2, "PENDING", -1);
    s.add(sample(STEP + 1_300, up, 1, OLD));
    Decision delivered = decision(STEP + 1_200, true, 2, "DELIVERED", STEP + 1_250);
    ReplicaState starting = new ReplicaState("r-new", STEP + 1_400, false, 0);
    s.add(sample(STEP + 1_500, delivered, 1, OLD, starting));
    s.add(sample(STEP + 3_000, delivered, 1, OLD, starting));
    ReplicaState healthy = new ReplicaState("r-new", STEP + 1_400, true, 0);
    s.add(sample(STEP + 4_900, delivered, 1, OLD, healthy));
    s.add(sample(STEP + 5_300, delivered, 2, OLD, healthy));
    ReplicaState serving = new ReplicaState("r-new", STEP + 1_400, true, 3);
    s.add(sample(STEP + 5_600, delivered, 2, OLD, serving));
    s.add(sample(STEP + 5_700, delivered, 2, OLD, serving));
    return s;
  }

  @Test
  void readsEachEventAtItsFirstAppearanceAfterTheStep() {
    BurstTimeline t = BurstTimeline.extract(STEP, Set.of("r-old"), burst());

    assertThat(t.replicasBefore()).isEqualTo(1);
    assertThat(t.decidedAt()).hasValue(STEP + 1_200);
    assertThat(t.panic()).isTrue();
    assertThat(t.decidedReplicas()).isEqualTo(2);
    assertThat(t.deliveredAt()).hasValue(STEP + 1_250);
    assertThat(t.newReplica()).contains("r-new");
    assertThat(t.launchedAt()).hasValue(STEP + 1_400);
    assertThat(t.healthyAt()).hasValue(STEP + 4_900);
    assertThat(t.routedAt()).hasValue(STEP + 5_300);
    assertThat(t.firstServedAt()).hasValue(STEP + 5_600);
  }

  @Test
  void burstToServedIsTheSumOfItsParts() {
    BurstTimeline t = BurstTimeline.extract(STEP, Set.of("r-old"), burst());

    assertThat(t.burstToServed()).contains(5.6);
    assertThat(t.decision()).contains(1.2);
    assertThat(t.launch()).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.2, within()));
    assertThat(t.coldStart()).contains(3.5);
    assertThat(t.firstAnswer()).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.7, within()));
    assertThat(t.decision().get() + t.launch().get() + t.coldStart().get() + t.firstAnswer().get())
        .isCloseTo(t.burstToServed().get(), within());
    assertThat(t.summary())
        .isEqualTo(
            "burst to served = 5.60 s (decision 1.20 s + launch 0.20 s + cold start 3.50 s +"
                + " first answer 0.70 s); target <= 5 s missed by 0.60 s; largest part: cold"
                + " start");
  }

  @Test
  void aBurstServedWithinFiveSecondsMeetsTheTarget() {
    List<ProbeSample> fast = new ArrayList<>(burst().subList(0, 5));
    ReplicaState serving = new ReplicaState("r-new", STEP + 1_400, true, 1);
    fast.add(sample(STEP + 2_900, fast.get(4).decision().orElseThrow(), 2, OLD, serving));

    BurstTimeline t = BurstTimeline.extract(STEP, Set.of("r-old"), fast);

    assertThat(t.healthyAt()).hasValue(STEP + 2_900);
    assertThat(t.burstToServed()).contains(2.9);
    assertThat(t.summary()).endsWith("target <= 5 s met");
  }

  @Test
  void aReplicaThatNeverAnswersLeavesTheFigureOpenAndSaysWhatHappened() {
    List<ProbeSample> stuck = burst().subList(0, 6);

    BurstTimeline t = BurstTimeline.extract(STEP, Set.of("r-old"), stuck);

    assertThat(t.burstToServed()).isEmpty();
    assertThat(t.healthyAt()).isEmpty();
    assertThat(t.summary())
        .isEqualTo(
            "burst to served: no request answered by a new replica within the run (decision 1.20"
                + " s + launch 0.20 s + cold start - + first answer -)");
    assertThat(t.events())
        .extracting(BurstTimeline.Event::label)
        .containsExactly("load step", "panic decision 2", "delivered", "replica launched");
  }

  @Test
  void noScaleUpDecisionMeansNoEventsButTheStep() {
    List<ProbeSample> calm = burst().subList(0, 3);

    BurstTimeline t = BurstTimeline.extract(STEP, Set.of("r-old"), calm);

    assertThat(t.decidedAt()).isEmpty();
    assertThat(t.newReplica()).isEmpty();
    assertThat(t.events()).extracting(BurstTimeline.Event::label).containsExactly("load step");
  }

  @Test
  void eventsComeInTimeOrder() {
    BurstTimeline t = BurstTimeline.extract(STEP, Set.of("r-old"), burst());

    assertThat(t.events())
        .extracting(BurstTimeline.Event::label)
        .containsExactly(
            "load step",
            "panic decision 2",
            "delivered",
            "replica launched",
            "replica ready",
            "operator: ready",
            "first answer");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
