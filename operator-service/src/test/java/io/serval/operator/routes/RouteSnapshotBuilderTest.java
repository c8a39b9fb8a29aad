package io.serval.operator.routes;

import static io.serval.operator.spec.SpecFixtures.api;
import static io.serval.operator.spec.SpecFixtures.splitter;
import static org.assertj.core.api.Assertions.assertThat;

import io.serval.operator.control.DeployPlanner;
import io.serval.operator.control.PlannedChange;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaPhase;
import io.serval.operator.spec.SpecParser;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.SplitterRecord;
import io.serval.proto.control.ApiRoute;
import io.serval.proto.control.RouteSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteSnapshotBuilderTest {

  private final Instant t0 = Instant.parse("2025-01-01T00:00:00Z");

  private List<PlannedChange> plan(String yaml) {
    return new DeployPlanner(true).plan(new SpecParser().parse(yaml), Map.of(), Map.of(), t0);
  }

  @Test
  void buildsApisWithLimitsRevisionsReadyEndpointsAndSplitters() {
    List<PlannedChange> plan =
        plan(
            api(
                    "b",
                    "traffic: {maxConcurrency: 4, maxQueueLength: 9, timeout: 1500ms}\n"
                        + "async: {resultTtl: 2h}")
                + "---\n"
                + api("a", "autoscaling: {minReplicas: 0, initReplicas: 0}")
                + "---\n"
                + splitter("s", "- {name: b, weight: 100}\n- {name: a, weight: 10, shadow: true}"));
    ApiRecord b = plan.get(0).api();
    ApiRecord a = plan.get(1).api();
    SplitterRecord s = plan.get(2).splitter();
    String rev = b.revision();
    List<ReplicaInfo> replicasOfB =
        List.of(
            new ReplicaInfo(
                "b-2", rev, "127.0.0.1:9002", "127.0.0.1:9102", ReplicaPhase.READY, 0, null),
            new ReplicaInfo(
                "b-1", rev, "127.0.0.1:9001", "127.0.0.1:9101", ReplicaPhase.READY, 0, null),
            new ReplicaInfo(
                "b-3", rev, "127.0.0.1:9003", "127.0.0.1:9103", ReplicaPhase.STARTING, 0, null));

    RouteSnapshot snap =
        RouteSnapshotBuilder.build(
            7, List.of(b, a), List.of(s), name -> name.equals("b") ? replicasOfB : List.of());

    assertThat(snap.getVersion()).isEqualTo(7);
    assertThat(snap.getApisList()).extracting(ApiRoute::getName).containsExactly("a", "b");
    ApiRoute routeA = snap.getApis(0);
    assertThat(routeA.getScaledToZero()).isTrue();
    ApiRoute routeB = snap.getApis(1);
    assertThat(routeB.getScaledToZero()).isFalse();
    assertThat(routeB.getModelName()).isEqualTo("b");
    assertThat(routeB.getLimits().getMaxConcurrency()).isEqualTo(4);
    assertThat(routeB.getLimits().getMaxQueueLength()).isEqualTo(9);
    assertThat(routeB.getLimits().getTimeout().getNanos()).isEqualTo(500_000_000);
    assertThat(routeB.getAsyncResultTtl().getSeconds()).isEqualTo(7200);
    assertThat(routeA.getAsyncResultTtl().getSeconds()).isEqualTo(24 * 3600);
    assertThat(routeB.getRevisionsList()).hasSize(1);
    assertThat(routeB.getRevisions(0).getRevision()).isEqualTo(rev);
    assertThat(routeB.getRevisions(0).getTrafficPercent()).isEqualTo(100.0);
    // only ready replicas, sorted by id
    assertThat(routeB.getRevisions(0).getEndpointsList())
        .extracting(e -> e.getReplicaId() + "@" + e.getAddress())
        .containsExactly("b-1@127.0.0.1:9001", "b-2@127.0.0.1:9002");
    assertThat(snap.getSplitters(0).getTargetsList())
        .extracting(t -> t.getApi() + ":" + (int) t.getWeight() + ":" + t.getShadow())
        .containsExactly("b:100:false", "a:10:true");
  }

  @Test
  void revisionsCarryTheirTrafficSharesDuringARollout() {
    ApiRecord a = plan(api("a")).getFirst().api();
    ApiRecord shifting =
        a.withRollout(a.rollout(), Map.of(a.revision(), 75, "newrev0001", 25, "oldrev0000", 0), t0);
    RouteSnapshot snap =
        RouteSnapshotBuilder.build(1, List.of(shifting), List.of(), n -> List.of());
    assertThat(snap.getApis(0).getRevisionsList())
        .extracting(r -> r.getRevision() + "=" + (int) r.getTrafficPercent())
        .containsExactly(a.revision() + "=75", "newrev0001=25");
  }

  @Test
  void sameStateGivesTheSameRoutes() {
    ApiRecord a = plan(api("a")).getFirst().api();
    RouteSnapshot one = RouteSnapshotBuilder.build(1, List.of(a), List.of(), n -> List.of());
    RouteSnapshot two = RouteSnapshotBuilder.build(2, List.of(a), List.of(), n -> List.of());
    assertThat(RouteSnapshotBuilder.sameRoutes(one, two)).isTrue();
    RouteSnapshot scaled =
        RouteSnapshotBuilder.build(
            3, List.of(a.withDesiredReplicas(0, "zero", t0)), List.of(), n -> List.of());
    assertThat(RouteSnapshotBuilder.sameRoutes(one, scaled)).isFalse();
  }
}
