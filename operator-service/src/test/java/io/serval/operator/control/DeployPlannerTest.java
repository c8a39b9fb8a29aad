package io.serval.operator.control;

import static io.serval.operator.spec.SpecFixtures.api;
import static io.serval.operator.spec.SpecFixtures.splitter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.operator.rollout.RolloutTransitions;
import io.serval.operator.spec.SpecException;
import io.serval.operator.spec.SpecParser;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.RolloutState;
import io.serval.operator.state.SplitterRecord;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeployPlannerTest {

  private final SpecParser parser = new SpecParser();
  private final Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
  private final Map<String, ApiRecord> apis = new HashMap<>();
  private final Map<String, SplitterRecord> splitters = new HashMap<>();

  private List<PlannedChange> apply(DeployPlanner planner, String yaml) {
    List<PlannedChange> plan = planner.plan(parser.parse(yaml), apis, splitters, t0);
    for (PlannedChange c : plan) {
      if (c.api() != null) {
        apis.put(c.name(), c.api());
      } else {
        splitters.put(c.name(), c.splitter());
      }
    }
    return plan;
  }

  @Test
  void createsWithInitReplicasAndAllTrafficOnTheFirstRevision() {
    PlannedChange c =
        apply(new DeployPlanner(true), api("a", "autoscaling: {minReplicas: 2, initReplicas: 3}"))
            .getFirst();
    assertThat(c.action()).isEqualTo(PlannedChange.Action.created);
    assertThat(c.api().desiredReplicas()).isEqualTo(3);
    assertThat(c.api().traffic()).containsExactly(Map.entry(c.api().revision(), 100));
    assertThat(c.api().rollout()).isNull();
  }

  @Test
  void newRevisionStartsARolloutWhenTheRuntimeTracksReadiness() {
    DeployPlanner planner = new DeployPlanner(true);
    String r1 = apply(planner, api("a")).getFirst().api().revision();
    PlannedChange c = apply(planner, api("a", "predictor: {workers: 2}")).getFirst();
    assertThat(c.action()).isEqualTo(PlannedChange.Action.updated);
    assertThat(c.changedSections()).containsExactly("predictor");
    String r2 = c.api().revision();
    assertThat(r2).isNotEqualTo(r1);
    assertThat(c.api().traffic()).containsExactly(Map.entry(r1, 100));
    assertThat(c.api().rollout().phase()).isEqualTo(RolloutState.Phase.WAITING_FOR_READY);
    assertThat(c.api().rollout().from()).isEqualTo(r1);
    assertThat(c.api().activeRevisions()).containsExactlyInAnyOrder(r1, r2);
    assertThat(c.api().generation()).isEqualTo(2);
  }

  @Test
  void newRevisionTakesAllTrafficAtOnceWithoutReadiness() {
    DeployPlanner planner = new DeployPlanner(false);
    apply(planner, api("a"));
    PlannedChange c = apply(planner, api("a", "predictor: {workers: 2}")).getFirst();
    assertThat(c.api().traffic()).containsExactly(Map.entry(c.api().revision(), 100));
    assertThat(c.api().rollout().phase()).isEqualTo(RolloutState.Phase.COMPLETE);
  }

  @Test
  void inPlaceChangeClampsDesiredReplicasIntoNewBounds() {
    DeployPlanner planner = new DeployPlanner(true);
    apply(planner, api("a", "autoscaling: {minReplicas: 1, maxReplicas: 10, initReplicas: 8}"));
    PlannedChange c =
        apply(planner, api("a", "autoscaling: {minReplicas: 1, maxReplicas: 4, initReplicas: 1}"))
            .getFirst();
    assertThat(c.action()).isEqualTo(PlannedChange.Action.configured);
    assertThat(c.api().desiredReplicas()).isEqualTo(4);
  }

  @Test
  void splitterTargetsMayComeFromTheSameDeployOrBeDeployedAlready() {
    DeployPlanner planner = new DeployPlanner(true);
    apply(planner, api("a") + "---\n" + splitter("s", "- {name: a, weight: 100}"));
    apply(
        planner,
        splitter("s", "- {name: a, weight: 100}\n- {name: b, weight: 0, shadow: true}")
            .replace("kind", api("b") + "---\nkind"));
    assertThat(splitters.get("s").generation()).isEqualTo(2);
    assertThatThrownBy(() -> apply(planner, splitter("t", "- {name: ghost, weight: 100}")))
        .isInstanceOfSatisfying(
            SpecException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "t: spec.apis[0].name: no RealtimeApi named \"ghost\" in this deploy or"
                            + " already deployed"));
  }

  @Test
  void namesAreUniqueAcrossKindsAndWithinADeploy() {
    DeployPlanner planner = new DeployPlanner(true);
    apply(planner, api("a"));
    assertThatThrownBy(() -> apply(planner, splitter("a", "- {name: a, weight: 100}")))
        .hasMessageContaining(
            "a: metadata.name: already used by RealtimeApi a (APIs and splitters share one"
                + " namespace)");
    assertThatThrownBy(() -> apply(planner, api("b") + "---\n" + api("b")))
        .hasMessageContaining("b: metadata.name: appears more than once in this deploy");
    assertThat(apis).containsOnlyKeys("a");
  }

  @Test
  void anApiASplitterUsesCannotBeDeleted() {
    DeployPlanner planner = new DeployPlanner(true);
    apply(
        planner,
        api("a") + "---\n" + api("b") + "---\n" + splitter("s", "- {name: a, weight: 100}"));
    assertThatThrownBy(() -> planner.checkDeletable("a", splitters))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessage("a is used by traffic splitter s; change or delete the splitter first");
    planner.checkDeletable("b", splitters);
  }

  @Test
  void rollbackReturnsToThePreviousRevisionAndTogglesOnRepeat() {
    DeployPlanner planner = new DeployPlanner(false);
    String r1 = apply(planner, api("a")).getFirst().api().revision();
    String r2 = apply(planner, api("a", "compute: {cpu: 500m}")).getFirst().api().revision();
    ApiRecord back = planner.rollback(apis.get("a"), t0);
    assertThat(back.revision()).isEqualTo(r1);
    assertThat(back.api().spec().compute().cpu()).isEqualTo("200m");
    assertThat(back.generation()).isEqualTo(3);
    assertThat(planner.rollback(back, t0).revision()).isEqualTo(r2);
    ApiRecord single = apply(planner, api("fresh")).getFirst().api();
    assertThatThrownBy(() -> planner.rollback(single, t0))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessage("fresh: no earlier revision to roll back to");
  }

  @Test
  void abortedRolloutRestoresTheOldRevisionSpec() {
    DeployPlanner planner = new DeployPlanner(true);
    String r1 = apply(planner, api("a")).getFirst().api().revision();
    ApiRecord rolling = apply(planner, api("a", "compute: {cpu: 500m}")).getFirst().api();
    ApiRecord aborted = RolloutTransitions.abort(rolling, "not ready within 10m", t0);
    assertThat(aborted.revision()).isEqualTo(r1);
    assertThat(aborted.api().spec().compute().cpu()).isEqualTo("200m");
    assertThat(aborted.traffic()).containsExactly(Map.entry(r1, 100));
    assertThat(aborted.rollout().phase()).isEqualTo(RolloutState.Phase.ROLLED_BACK);
    assertThat(aborted.rollout().message()).isEqualTo("not ready within 10m");
    assertThat(aborted.activeRevisions()).containsExactly(r1);
  }

  @Test
  void aManualRollbackAfterAnAutomaticOneSkipsTheRevisionThatFailed() {
    DeployPlanner planner = new DeployPlanner(true);
    String r1 = apply(planner, api("a")).getFirst().api().revision();
    ApiRecord toR2 = apply(planner, api("a", "compute: {cpu: 500m}")).getFirst().api();
    String r2 = toR2.revision();
    apis.put("a", toR2.withRollout(RolloutState.complete(r1, r2, t0), Map.of(r2, 100), t0));
    ApiRecord toR3 = apply(planner, api("a", "compute: {cpu: 700m}")).getFirst().api();
    String r3 = toR3.revision();
    ApiRecord aborted = RolloutTransitions.abort(toR3, "revision " + r3 + " is crash-looping", t0);
    assertThat(aborted.revision()).isEqualTo(r2);

    ApiRecord back = planner.rollback(aborted, t0);
    assertThat(back.revision()).as("r3 failed, r1 served before r2").isEqualTo(r1);
    assertThat(back.revision()).isNotEqualTo(r3);
  }

  @Test
  void splitterRollbackNeedsItsApisToExist() {
    DeployPlanner planner = new DeployPlanner(true);
    apply(
        planner,
        api("a") + "---\n" + api("b") + "---\n" + splitter("s", "- {name: a, weight: 100}"));
    apply(planner, splitter("s", "- {name: b, weight: 100}"));
    assertThatThrownBy(() -> planner.rollback(splitters.get("s"), Set.of("b"), t0))
        .hasMessage("s: the earlier spec names APIs that no longer exist: [a]");
    assertThat(planner.rollback(splitters.get("s"), Set.of("a", "b"), t0).splitter().spec().apis())
        .extracting(t -> t.name())
        .containsExactly("a");
  }
}
