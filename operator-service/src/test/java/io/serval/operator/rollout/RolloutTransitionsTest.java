package io.serval.operator.rollout;

import static io.serval.operator.spec.SpecFixtures.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.serval.operator.control.DeployPlanner;
import io.serval.operator.spec.SpecParser;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.RolloutState;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolloutTransitionsTest {

  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
  private final Instant t1 = t0.plusSeconds(30);

  /** An API rolling from its first revision to a second one. */
  private ApiRecord rolling() {
    DeployPlanner planner = new DeployPlanner(true);
    Map<String, ApiRecord> apis = new HashMap<>();
    ApiRecord first =
        planner.plan(new SpecParser().parse(api("a")), apis, Map.of(), t0).getFirst().api();
    apis.put("a", first);
    return planner
        .plan(new SpecParser().parse(api("a", "compute: {cpu: 500m}")), apis, Map.of(), t0)
        .getFirst()
        .api();
  }

  @Test
  void aStepStoresTheNewStateAndTraffic() {
    ApiRecord r = rolling();
    RolloutState seen = r.rollout();
    RolloutState shifting =
        new RolloutState(seen.from(), seen.to(), RolloutState.Phase.SHIFTING, 0, t1, "step 1");
    Map<String, Integer> traffic = Map.of(seen.from(), 90, seen.to(), 10);
    ApiRecord next =
        RolloutTransitions.apply(
            r, seen, new RolloutStateMachine.Decision(shifting, traffic, Optional.empty()), t1);
    assertThat(next.rollout()).isEqualTo(shifting);
    assertThat(next.traffic()).isEqualTo(traffic);
  }

  @Test
  void anAbortRestoresTheRevisionThatServesTraffic() {
    ApiRecord r = rolling();
    RolloutState seen = r.rollout();
    ApiRecord next =
        RolloutTransitions.apply(
            r,
            seen,
            new RolloutStateMachine.Decision(seen, r.traffic(), Optional.of("not ready")),
            t1);
    assertThat(next.revision()).isEqualTo(seen.from());
    assertThat(next.traffic()).containsExactly(Map.entry(seen.from(), 100));
    assertThat(next.rollout().phase()).isEqualTo(RolloutState.Phase.ROLLED_BACK);
    assertThat(next.rollout().message()).isEqualTo("not ready");
  }

  @Test
  void aDecisionTakenOnAStaleStateChangesNothing() {
    ApiRecord r = rolling();
    RolloutState stale = RolloutState.start("x", "y", t0);
    ApiRecord next =
        RolloutTransitions.apply(
            r, stale, new RolloutStateMachine.Decision(stale, Map.of(), Optional.of("boom")), t1);
    assertThat(next).isSameAs(r);
  }
}
