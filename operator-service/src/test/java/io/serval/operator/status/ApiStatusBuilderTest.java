package io.serval.operator.status;

import static io.serval.operator.spec.SpecFixtures.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.serval.operator.MutableClock;
import io.serval.operator.control.DeployPlanner;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaPhase;
import io.serval.operator.spec.SpecParser;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.RolloutState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiStatusBuilderTest {

  private final Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
  private final MutableClock clock = new MutableClock(t0);
  private final ApiStatusBuilder builder =
      new ApiStatusBuilder("http://localhost:8080/", 3, true, new TransitionTimes(clock));

  private ApiRecord record() {
    return new DeployPlanner(true)
        .plan(
            new SpecParser().parse(api("m", "autoscaling: {initReplicas: 2}")),
            Map.of(),
            Map.of(),
            t0)
        .getFirst()
        .api();
  }

  private static ReplicaInfo replica(String id, String rev, ReplicaPhase phase, int restarts) {
    return new ReplicaInfo(
        id, rev, "h:1", "h:2", phase, restarts, restarts > 0 ? "exited with code 1" : null);
  }

  /** The condition of that type, without its transition time (tested on its own below). */
  private static Condition condition(ApiStatus s, String type) {
    Condition c =
        s.conditions().stream()
            .filter(x -> x.type() == ConditionType.valueOf(type))
            .findFirst()
            .orElseThrow();
    return Condition.of(c.status(), c.reason(), c.message());
  }

  @Test
  void readyWhenEveryRequestedReplicaOfTheCurrentRevisionIsReady() {
    ApiRecord r = record();
    String rev = r.revision();
    ApiStatus partial =
        builder.build(
            r,
            List.of(
                replica("a", rev, ReplicaPhase.READY, 0),
                replica("b", rev, ReplicaPhase.STARTING, 0)),
            1);
    assertThat(condition(partial, "Ready"))
        .isEqualTo(
            Condition.of(
                ConditionStatus.False,
                ConditionReason.ReplicasNotReady,
                "1/2 replicas of revision " + rev + " ready"));
    assertThat(partial.replicas()).isEqualTo(new ApiStatus.Replicas(2, 1, 1));
    assertThat(partial.endpoint()).isEqualTo("http://localhost:8080/v2/models/m");
    assertThat(partial.observedGeneration()).isEqualTo(1);

    ApiStatus full =
        builder.build(
            r,
            List.of(
                replica("a", rev, ReplicaPhase.READY, 0), replica("b", rev, ReplicaPhase.READY, 0)),
            1);
    assertThat(condition(full, "Ready").status()).isEqualTo(ConditionStatus.True);
    assertThat(condition(full, "Degraded").status()).isEqualTo(ConditionStatus.False);
    assertThat(full.revisions()).containsExactly(new ApiStatus.RevisionStatus(rev, 100, 2, true));
  }

  @Test
  void degradedAfterRepeatedCrashes() {
    ApiRecord r = record();
    ApiStatus s =
        builder.build(r, List.of(replica("a", r.revision(), ReplicaPhase.RESTARTING, 3)), 1);
    assertThat(condition(s, "Degraded"))
        .isEqualTo(
            Condition.of(
                ConditionStatus.True,
                ConditionReason.CrashLoop,
                "replica a died 3 times: exited with code 1"));
    assertThat(
            condition(
                    builder.build(
                        r, List.of(replica("a", r.revision(), ReplicaPhase.RESTARTING, 2)), 1),
                    "Degraded")
                .status())
        .isEqualTo(ConditionStatus.False);
  }

  @Test
  void degradedNamesAReplicaThatCrashedAndItsSignalUntilTheRuntimeForgetsTheCrash() {
    ApiRecord r = record();
    String rev = r.revision();
    ReplicaInfo restarting =
        new ReplicaInfo(
            "m-x-1",
            rev,
            "h:1",
            "h:2",
            ReplicaPhase.RESTARTING,
            1,
            "died of SIGFPE (exit 134)",
            "died of SIGFPE (exit 134)");
    ApiStatus s =
        builder.build(r, List.of(replica("m-x-0", rev, ReplicaPhase.READY, 0), restarting), 1);
    assertThat(condition(s, "Degraded"))
        .isEqualTo(
            Condition.of(
                ConditionStatus.True,
                ConditionReason.ReplicaCrashed,
                "replica m-x-1 died of SIGFPE (exit 134); restarting"));
    ReplicaInfo back =
        new ReplicaInfo(
            "m-x-1", rev, "h:1", "h:2", ReplicaPhase.READY, 1, null, "died of SIGFPE (exit 134)");
    assertThat(condition(builder.build(r, List.of(back), 1), "Degraded").message())
        .isEqualTo("replica m-x-1 died of SIGFPE (exit 134); restarted and ready");
    ReplicaInfo forgotten =
        new ReplicaInfo("m-x-1", rev, "h:1", "h:2", ReplicaPhase.READY, 0, null, null);
    assertThat(condition(builder.build(r, List.of(forgotten), 1), "Degraded"))
        .isEqualTo(
            Condition.of(
                ConditionStatus.False, ConditionReason.Healthy, "no replica is crash-looping"));
    ReplicaInfo looping =
        new ReplicaInfo(
            "m-x-1",
            rev,
            "h:1",
            "h:2",
            ReplicaPhase.RESTARTING,
            3,
            "died of SIGFPE (exit 134)",
            "died of SIGFPE (exit 134)");
    assertThat(condition(builder.build(r, List.of(looping), 1), "Degraded"))
        .isEqualTo(
            Condition.of(
                ConditionStatus.True,
                ConditionReason.CrashLoop,
                "replica m-x-1 died 3 times: died of SIGFPE (exit 134)"));
  }

  @Test
  void rolloutConditionFollowsTheRolloutState() {
    ApiRecord r = record();
    assertThat(condition(builder.build(r, List.of(), 1), "RolloutInProgress").reason())
        .isEqualTo(ConditionReason.NoRollout);
    ApiRecord rolling =
        r.withRollout(RolloutState.start(r.revision(), "next", t0), Map.of(r.revision(), 100), t0);
    Condition c = condition(builder.build(rolling, List.of(), 1), "RolloutInProgress");
    assertThat(c.status()).isEqualTo(ConditionStatus.True);
    assertThat(c.reason()).isEqualTo(ConditionReason.WaitingForReady);
    ApiRecord zero = r.withDesiredReplicas(0, "idle", t0);
    assertThat(condition(builder.build(zero, List.of(), 1), "Ready").reason())
        .isEqualTo(ConditionReason.ScaledToZero);
  }

  @Test
  void aConditionKeepsItsTransitionTimeUntilItsStatusChanges() {
    ApiRecord r = record();
    String rev = r.revision();
    ReplicaInfo starting = replica("a", rev, ReplicaPhase.STARTING, 0);
    ReplicaInfo ready = replica("a", rev, ReplicaPhase.READY, 0);
    ReplicaInfo ready2 = replica("b", rev, ReplicaPhase.READY, 0);
    Instant first = clock.instant();
    assertThat(readyAt(builder.build(r, List.of(starting), 1))).isEqualTo(first.toString());
    clock.advance(Duration.ofSeconds(5));
    assertThat(readyAt(builder.build(r, List.of(starting, ready2), 1)))
        .as("still False (1/2 ready): the time it became False stays")
        .isEqualTo(first.toString());
    clock.advance(Duration.ofSeconds(5));
    Instant flipped = clock.instant();
    assertThat(readyAt(builder.build(r, List.of(ready, ready2), 1))).isEqualTo(flipped.toString());
    clock.advance(Duration.ofSeconds(5));
    assertThat(readyAt(builder.build(r, List.of(ready, ready2), 1))).isEqualTo(flipped.toString());
    assertThat(
            builder.build(r, List.of(ready, ready2), 1).conditions().stream()
                .filter(c -> c.type() == ConditionType.Degraded)
                .findFirst()
                .orElseThrow()
                .lastTransitionTime())
        .as("each condition has its own time")
        .isEqualTo(first.toString());
  }

  @Test
  void everyConditionCarriesTheGenerationItWasDerivedFromAndKeepsItsTimeAcrossGenerations() {
    ApiRecord r = record();
    ReplicaInfo ready = replica("a", r.revision(), ReplicaPhase.READY, 0);
    ReplicaInfo ready2 = replica("b", r.revision(), ReplicaPhase.READY, 0);
    ApiStatus at3 = builder.build(r, List.of(ready, ready2), 3);
    assertThat(at3.observedGeneration()).isEqualTo(3);
    assertThat(at3.conditions()).hasSize(3).allMatch(c -> c.observedGeneration() == 3);
    String since = readyAt(at3);

    clock.advance(Duration.ofSeconds(30));
    // a new generation whose status is the same: observedGeneration moves, the transition not
    ApiStatus at4 = builder.build(r, List.of(ready, ready2), 3).observing(4);
    assertThat(at4.observedGeneration()).isEqualTo(4);
    assertThat(at4.conditions()).allMatch(c -> c.observedGeneration() == 4);
    assertThat(readyAt(at4)).isEqualTo(since);
  }

  private static String readyAt(ApiStatus s) {
    return s.conditions().stream()
        .filter(c -> c.type() == ConditionType.Ready)
        .findFirst()
        .orElseThrow()
        .lastTransitionTime();
  }
}
