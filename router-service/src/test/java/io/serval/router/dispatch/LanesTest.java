package io.serval.router.dispatch;

import static io.serval.router.dispatch.InferenceDispatcherTest.api;
import static io.serval.router.dispatch.InferenceDispatcherTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.serval.proto.control.ApiRoute;
import io.serval.proto.control.Endpoint;
import io.serval.proto.control.RevisionRoute;
import io.serval.router.queue.FairApiQueue;
import io.serval.router.queue.FakeTicker;
import io.serval.router.routing.RouteTable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** One lane per API, following the routes; replica picks that take no slot. */
class LanesTest {
  private final Set<String> ejected = new HashSet<>();
  private final Lanes lanes =
      new Lanes(new FakeTicker(), r -> !ejected.contains(r), new SplittableRandom(3));

  @Test
  void aLaneIsMadeOncePerApiAndFollowsTheRoutesLimits() {
    RouteTable first = table(api("api", "api", 1, 1, "a:1"));
    ApiLane lane = lanes.laneFor(first.api("api"));
    assertThat(lanes.laneFor(first.api("api"))).isSameAs(lane);

    Lanes.Applied applied = lanes.apply(table(api("api", "api", 2, 5, "a:1", "b:1")));

    assertThat(lanes.lane("api")).as("the lane outlives the snapshot").isSameAs(lane);
    assertThat(lane.api().maxConcurrency()).isEqualTo(2);
    assertThat(applied.removed()).isEmpty();
    assertThat(applied.replicas()).containsExactlyInAnyOrder("a:1", "b:1");
    FairApiQueue.Entry<PendingCall> e1 = new FairApiQueue.Entry<>(null, "r1", Long.MAX_VALUE);
    FairApiQueue.Entry<PendingCall> e2 = new FairApiQueue.Entry<>(null, "r1", Long.MAX_VALUE);
    FairApiQueue.Entry<PendingCall> e3 = new FairApiQueue.Entry<>(null, "r1", Long.MAX_VALUE);
    FairApiQueue.Entry<PendingCall> e4 = new FairApiQueue.Entry<>(null, "r1", Long.MAX_VALUE);
    FairApiQueue.Entry<PendingCall> e5 = new FairApiQueue.Entry<>(null, "r1", Long.MAX_VALUE);
    for (var e : List.of(e1, e2, e3, e4)) {
      assertThat(lane.queue().offer(e)).isEqualTo(FairApiQueue.Admission.DISPATCHED);
    }
    assertThat(lane.executing()).as("2 slots on each of 2 replicas").isEqualTo(4);
    assertThat(lane.queue().offer(e5)).isEqualTo(FairApiQueue.Admission.QUEUED);
  }

  @Test
  void anApiThatLeftTheRoutesLosesItsLane() {
    lanes.apply(table(api("a", "a", 1, 1, "a:1"), api("b", "b", 1, 1, "b:1")));
    ApiLane a = lanes.lane("a");

    Lanes.Applied applied = lanes.apply(table(api("b", "b", 1, 1, "b:2")));

    assertThat(applied.removed()).containsExactly(a);
    assertThat(applied.replicas()).containsExactly("b:2");
    assertThat(lanes.lane("a")).isNull();
    assertThat(lanes.all()).extracting(ApiLane::name).containsExactly("b");
  }

  @Test
  void anyReplicaSkipsEjectedReplicasAndFallsBackToAnotherRevision() {
    ApiRoute twoRevisions =
        ApiRoute.newBuilder()
            .setName("api")
            .setModelName("api")
            .addRevisions(revision("blue", 100, "a:1", "a:2"))
            .addRevisions(revision("green", 0, "b:1"))
            .build();
    RouteTable t = table(twoRevisions);
    lanes.apply(t);

    for (int i = 0; i < 20; i++) {
      assertThat(lanes.anyReplica(t.api("api"))[1]).isEqualTo("api/blue");
    }
    ejected.add("a:1");
    for (int i = 0; i < 20; i++) {
      assertThat(lanes.anyReplica(t.api("api"))).containsExactly("a:2", "api/blue");
    }
    ejected.add("a:2");
    assertThat(lanes.anyReplica(t.api("api"))).containsExactly("b:1", "api/green");
    assertThat(lanes.ready(t.api("api"))).isTrue();

    ejected.add("b:1");
    assertThat(lanes.anyReplica(t.api("api"))).isNull();
    assertThat(lanes.ready(t.api("api"))).isFalse();
  }

  private static RevisionRoute revision(String name, double share, String... endpoints) {
    RevisionRoute.Builder b = RevisionRoute.newBuilder().setRevision(name).setTrafficPercent(share);
    for (String e : endpoints) {
      b.addEndpoints(Endpoint.newBuilder().setAddress(e));
    }
    return b.build();
  }
}
