package io.serval.autoscaler.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.autoscaler.scaling.AutoscalingSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replays traces through the real policy; each run takes milliseconds. */
class SimulatorTest {

  private static final Duration TICK = Duration.ofSeconds(10);
  private static final Duration DOWNSCALE_PERIOD = Duration.ofMinutes(5);

  private static SimulationRun run(String label, LoadTrace trace, AutoscalingSpec spec, int init) {
    return Simulator.run(
        new Scenario(label, trace, spec, ReplicaModel.Params.defaults(), TICK, init));
  }

  @Test
  void stepX4AsksForMoreReplicasWithinTenSecondsWithPanicAndAboutAMinuteLaterWithout() {
    List<Scenario> both = Scenarios.sideBySide(LoadTraces.stepX4());
    SimulationRun serval = Simulator.run(both.get(0));
    SimulationRun cortex = Simulator.run(both.get(1));
    int change = LoadTraces.CHANGE_AT;

    assertThat(serval.firstScaleUpAfter(change) - change).isBetween(0, 10);
    assertThat(cortex.firstScaleUpAfter(change) - change).isGreaterThanOrEqualTo(60);
    assertThat(Outcome.of(serval).rejected()).isLessThan(Outcome.of(cortex).rejected());
  }

  @Test
  void steadyLoadWithTenPercentNoiseNeitherScalesDownNorOscillates() {
    LoadTrace trace = LoadTraces.steadyWithNoise(20, 0.10, 1800, 7);
    SimulationRun run = run("serval", trace, AutoscalingSpec.servalDefaults(8).build(), 3);

    List<Sample> s = run.samples();
    assertThat(s).allSatisfy(x -> assertThat(x.desired()).isEqualTo(3));
    assertThat(run.scaleChanges()).isZero();
    assertThat(s).noneMatch(Sample::panic);
  }

  @Test
  void dropToZeroReachesZeroAfterTheDownscalePeriodNeverBefore() {
    LoadTrace trace = LoadTraces.dropToZero();
    AutoscalingSpec spec = AutoscalingSpec.servalDefaults(8).minReplicas(0).build();
    SimulationRun run = run("serval", trace, spec, 3);

    int lastActive =
        run.samples().stream()
            .filter(x -> x.inFlight() > 0)
            .mapToInt(Sample::second)
            .max()
            .orElseThrow();
    int zeroAllowedAt = lastActive + (int) DOWNSCALE_PERIOD.toSeconds();
    for (Sample x : run.samples()) {
      if (x.second() < zeroAllowedAt) {
        assertThat(x.desired()).as("second %d", x.second()).isPositive();
      }
    }
    int firstZero =
        run.samples().stream()
            .filter(x -> x.desired() == 0)
            .mapToInt(Sample::second)
            .min()
            .orElseThrow();
    assertThat(firstZero).isBetween(zeroAllowedAt, zeroAllowedAt + (int) TICK.toSeconds());
    assertThat(run.samples().get(run.samples().size() - 1).desired()).isZero();
  }

  @Test
  void dropWithMinReplicasOneGoesBackToOneOnlyAfterTheDownscalePeriod() {
    LoadTrace trace = LoadTraces.dropToZero();
    SimulationRun run = run("serval", trace, AutoscalingSpec.servalDefaults(8).build(), 3);

    int holdUntil = trace.changeAt() + (int) DOWNSCALE_PERIOD.toSeconds();
    for (Sample x : run.samples()) {
      if (x.second() < holdUntil) {
        assertThat(x.desired()).as("second %d", x.second()).isEqualTo(3);
      }
    }
    assertThat(run.samples().get(run.samples().size() - 1).desired()).isEqualTo(1);
    assertThat(run.samples()).allSatisfy(x -> assertThat(x.desired()).isPositive());
  }

  @Test
  void overprovisioningAQuarterKeepsAQuarterSpareAtSteadyState() {
    LoadTrace trace = LoadTraces.steady(22, 1200);
    AutoscalingSpec withSpare = AutoscalingSpec.servalDefaults(8).overprovisioning(0.25).build();
    AutoscalingSpec without = AutoscalingSpec.servalDefaults(8).build();

    List<Sample> spare = run("spare", trace, withSpare, 3).samples().subList(600, 1200);
    List<Sample> none = run("none", trace, without, 3).samples().subList(600, 1200);

    assertThat(spare).allSatisfy(x -> assertThat(x.capacity()).isGreaterThanOrEqualTo(1.25 * 22));
    // the same load without overprovisioning runs with less than 25% spare: the rule is what
    // makes the difference
    assertThat(none).allSatisfy(x -> assertThat(x.capacity()).isLessThan(1.25 * 22));
  }
}
