package io.serval.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.serval.proto.control.ApiRoute;
import io.serval.proto.control.RevisionRoute;
import io.serval.proto.control.RouteSnapshot;
import io.serval.router.dispatch.Protocol;
import io.serval.router.routing.RouteTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RouterMetrics metrics = new RouterMetrics(registry, api -> null);

  @Test
  void restTrafficIsLabelledWithHttpStatusAndGrpcTrafficWithGrpcCodes() {
    metrics.completed("a", "r1", Protocol.REST, Status.Code.OK, 1_000);
    metrics.completed("a", "r1", Protocol.REST, Status.Code.UNAVAILABLE, 1_000);
    metrics.completed("a", "r1", Protocol.REST, Status.Code.RESOURCE_EXHAUSTED, 1_000);
    metrics.completed("a", "r1", Protocol.REST, Status.Code.DEADLINE_EXCEEDED, 1_000);
    metrics.completed("a", "r1", Protocol.GRPC, Status.Code.OK, 1_000);
    metrics.completed("a", "r1", Protocol.GRPC, Status.Code.UNAVAILABLE, 1_000);

    assertThat(count("rest", "200")).isEqualTo(1);
    assertThat(count("rest", "503")).isEqualTo(2);
    assertThat(count("rest", "504")).isEqualTo(1);
    assertThat(count("grpc", "OK")).isEqualTo(1);
    assertThat(count("grpc", "UNAVAILABLE")).isEqualTo(1);
    assertThat(registry.find("serval_router_requests").tag("code", "UNAVAILABLE").counters())
        .allSatisfy(c -> assertThat(c.getId().getTag("protocol")).isEqualTo("grpc"));
  }

  @Test
  void latencyIsKeptPerApiRevisionAndProtocol() {
    metrics.completed("a", "r1", Protocol.REST, Status.Code.OK, 2_000_000);
    metrics.completed("a", "r2", Protocol.REST, Status.Code.OK, 2_000_000);
    metrics.completed("a", "r2", Protocol.GRPC, Status.Code.OK, 2_000_000);

    assertThat(
            registry
                .get("serval_router_request_duration")
                .tags("api", "a", "revision", "r2", "protocol", "grpc")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(registry.find("serval_router_request_duration").timers()).hasSize(3);
  }

  @Test
  void metersOfApisAndRevisionsThatLeaveTheRoutesAreRemovedFromTheRegistry() {
    metrics.completed("kept", "r1", Protocol.REST, Status.Code.OK, 1_000);
    metrics.completed("kept", "old", Protocol.REST, Status.Code.OK, 1_000);
    metrics.completed("kept", "", Protocol.GRPC, Status.Code.UNAVAILABLE, 1_000);
    metrics.completed("deleted", "r1", Protocol.GRPC, Status.Code.OK, 1_000);
    metrics.noReadyReplica("deleted");

    metrics.retain(RouteTable.from(snapshot(api("kept", "r1"))));

    assertThat(apisOf(registry.getMeters())).doesNotContain("deleted");
    assertThat(registry.find("serval_router_requests").tag("revision", "old").counters()).isEmpty();
    assertThat(registry.find("serval_router_request_duration").tag("revision", "old").timers())
        .isEmpty();
    assertThat(registry.find("serval_router_requests").tag("api", "kept").counters())
        .extracting(c -> c.getId().getTag("revision"))
        .containsExactlyInAnyOrder("r1", "");
    assertThat(registry.find("serval_router_in_flight").tag("api", "kept").gauges()).hasSize(1);
    assertThat(registry.find("serval_router_in_flight").tag("api", "deleted").gauges()).isEmpty();

    // A request of an API deployed again under the same name starts from a fresh meter.
    metrics.completed("deleted", "r1", Protocol.GRPC, Status.Code.OK, 1_000);
    assertThat(
            registry
                .get("serval_router_requests")
                .tags("api", "deleted", "protocol", "grpc", "code", "OK")
                .counter()
                .count())
        .isEqualTo(1);
  }

  private double count(String protocol, String code) {
    return registry
        .get("serval_router_requests")
        .tags("api", "a", "revision", "r1", "protocol", protocol, "code", code)
        .counter()
        .count();
  }

  private static List<String> apisOf(List<Meter> meters) {
    return meters.stream().map(m -> m.getId().getTag("api")).toList();
  }

  private static ApiRoute api(String name, String... revisions) {
    ApiRoute.Builder b = ApiRoute.newBuilder().setName(name).setModelName(name);
    for (String r : revisions) {
      b.addRevisions(RevisionRoute.newBuilder().setRevision(r).setTrafficPercent(100));
    }
    return b.build();
  }

  private static RouteSnapshot snapshot(ApiRoute... apis) {
    return RouteSnapshot.newBuilder().setVersion(1).addAllApis(List.of(apis)).build();
  }
}
