package io.serval.router.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.Duration;
import io.serval.proto.control.ApiRoute;
import io.serval.proto.control.Endpoint;
import io.serval.proto.control.RevisionRoute;
import io.serval.proto.control.RouteSnapshot;
import io.serval.proto.control.SplitTarget;
import io.serval.proto.control.SplitterRoute;
import io.serval.proto.control.TrafficLimits;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  static ApiRoute api(String name, RevisionRoute... revisions) {
    return ApiRoute.newBuilder()
        .setName(name)
        .setModelName("model")
        .setLimits(
            TrafficLimits.newBuilder()
                .setMaxConcurrency(4)
                .setMaxQueueLength(10)
                .setTimeout(Duration.newBuilder().setSeconds(2)))
        .addAllRevisions(java.util.List.of(revisions))
        .build();
  }

  static RevisionRoute revision(String name, double share, String... endpoints) {
    RevisionRoute.Builder b = RevisionRoute.newBuilder().setRevision(name).setTrafficPercent(share);
    for (String e : endpoints) {
      b.addEndpoints(Endpoint.newBuilder().setAddress(e));
    }
    return b.build();
  }

  static SplitTarget target(String api, double weight, boolean shadow) {
    return SplitTarget.newBuilder().setApi(api).setWeight(weight).setShadow(shadow).build();
  }

  private final RouteSnapshot snapshot =
      RouteSnapshot.newBuilder()
          .setVersion(7)
          .addApis(api("v1", revision("blue", 80, "h:1"), revision("green", 20, "h:2", "h:3")))
          .addApis(api("v2", revision("r1", 100, "h:4")))
          .addApis(api("mirror", revision("r1", 100, "h:5")))
          .addSplitters(
              SplitterRoute.newBuilder()
                  .setName("classifier")
                  .addTargets(target("v1", 90, false))
                  .addTargets(target("v2", 10, false))
                  .addTargets(target("mirror", 25, true)))
          .build();

  @Test
  void indexesApisWithTheirLimitsRevisionsAndEndpoints() {
    RouteTable table = RouteTable.from(snapshot);
    assertThat(table.version()).isEqualTo(7);
    ApiEntry v1 = table.api("v1");
    assertThat(v1.modelName()).isEqualTo("model");
    assertThat(v1.maxConcurrency()).isEqualTo(4);
    assertThat(v1.maxQueueLength()).isEqualTo(10);
    assertThat(v1.timeout()).isEqualTo(java.time.Duration.ofSeconds(2));
    assertThat(v1.replicasByRevision())
        .containsEntry("blue", java.util.List.of("h:1"))
        .containsEntry("green", java.util.List.of("h:2", "h:3"));
    assertThat(v1.revision("green").servedBy()).isEqualTo("v1/green");
    assertThat(table.resolve("nope", new SplittableRandom(1))).isNull();
  }

  @Test
  void splitsBySplitterWeightAndRevisionShareAndMirrorsShadows() {
    RouteTable table = RouteTable.from(snapshot);
    SplittableRandom random = new SplittableRandom(11);
    Map<String, Integer> served = new HashMap<>();
    int mirrored = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      RouteTable.Target t = table.resolve("classifier", random);
      served.merge(t.api().pickRevision(random).servedBy(), 1, Integer::sum);
      mirrored += t.mirrors().size();
      assertThat(t.mirrors()).allSatisfy(m -> assertThat(m.name()).isEqualTo("mirror"));
    }
    assertThat(100.0 * served.get("v1/blue") / n).isCloseTo(72, within(2.0));
    assertThat(100.0 * served.get("v1/green") / n).isCloseTo(18, within(2.0));
    assertThat(100.0 * served.get("v2/r1") / n).isCloseTo(10, within(2.0));
    assertThat(100.0 * mirrored / n).isCloseTo(25, within(2.0));
  }

  @Test
  void fillsCortexDefaultsForUnsetLimits() {
    ApiEntry a =
        RouteTable.from(
                RouteSnapshot.newBuilder()
                    .addApis(ApiRoute.newBuilder().setName("bare").addRevisions(revision("r", 0)))
                    .build())
            .api("bare");
    assertThat(a.maxConcurrency()).isEqualTo(RouteTable.DEFAULT_MAX_CONCURRENCY);
    assertThat(a.maxQueueLength()).isEqualTo(RouteTable.DEFAULT_MAX_QUEUE_LENGTH);
    assertThat(a.timeout()).isEqualTo(RouteTable.DEFAULT_TIMEOUT);
    assertThat(a.modelName()).as("model name defaults to the API name").isEqualTo("bare");
    assertThat(a.pickRevision(new SplittableRandom(1)).name()).isEqualTo("r");
    assertThat(a.asyncResultTtl()).as("the router's own default applies").isEmpty();
  }

  @Test
  void carriesTheApisAsyncResultTtlAndRefusesANonPositiveOne() {
    ApiEntry a =
        RouteTable.from(
                RouteSnapshot.newBuilder()
                    .addApis(
                        ApiRoute.newBuilder()
                            .setName("kept")
                            .setAsyncResultTtl(
                                com.google.protobuf.Duration.newBuilder().setSeconds(90))
                            .addRevisions(revision("r", 100)))
                    .build())
            .api("kept");
    assertThat(a.asyncResultTtl()).contains(java.time.Duration.ofSeconds(90));
    assertThatThrownBy(
            () ->
                RouteTable.from(
                    RouteSnapshot.newBuilder()
                        .addApis(
                            ApiRoute.newBuilder()
                                .setName("x")
                                .setAsyncResultTtl(
                                    com.google.protobuf.Duration.newBuilder().setSeconds(-1))
                                .addRevisions(revision("r", 100)))
                        .build()))
        .hasMessageContaining("API 'x': async_result_ttl must be > 0");
  }

  @Test
  void refusesInconsistentSnapshotsNamingTheCulprit() {
    assertThatThrownBy(
            () ->
                RouteTable.from(
                    RouteSnapshot.newBuilder()
                        .addApis(api("x", revision("a", 50), revision("b", 20)))
                        .build()))
        .hasMessageContaining("API 'x'")
        .hasMessageContaining("sum to 70");
    assertThatThrownBy(
            () ->
                RouteTable.from(
                    RouteSnapshot.newBuilder()
                        .addApis(api("x", revision("a", 100)))
                        .addSplitters(
                            SplitterRoute.newBuilder()
                                .setName("s")
                                .addTargets(target("ghost", 100, false)))
                        .build()))
        .hasMessageContaining("splitter 's' targets unknown API 'ghost'");
    assertThatThrownBy(
            () ->
                RouteTable.from(
                    RouteSnapshot.newBuilder()
                        .addApis(api("x", revision("a", 100)))
                        .addApis(api("x", revision("a", 100)))
                        .build()))
        .hasMessageContaining("more than once");
  }

  @Test
  void aSwapLeavesEntriesAlreadyHandedOutIntact() {
    RouteTableHolder holder = new RouteTableHolder();
    holder.swap(RouteTable.from(snapshot));
    ApiEntry before = holder.current().api("v2");
    holder.swap(
        RouteTable.from(
            RouteSnapshot.newBuilder()
                .setVersion(8)
                .addApis(api("v2", revision("r2", 100, "h:9")))
                .build()));
    assertThat(before.replicasByRevision()).containsEntry("r1", java.util.List.of("h:4"));
    assertThat(holder.current().api("v2").replicasByRevision()).containsKey("r2");
    assertThat(holder.current().api("v1")).isNull();
  }
}
