package io.serval.operator.routes;

import com.google.protobuf.Duration;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.spec.TrafficSpec;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.SplitterRecord;
import io.serval.proto.control.ApiRoute;
import io.serval.proto.control.Endpoint;
import io.serval.proto.control.RevisionRoute;
import io.serval.proto.control.RouteSnapshot;
import io.serval.proto.control.SplitTarget;
import io.serval.proto.control.SplitterRoute;
import io.serval.proto.control.TrafficLimits;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the routes routers need from specs, revisions with their traffic shares and ready
 * endpoints. Pure and deterministic (sorted throughout), so two builds of the same state are equal
 * and a republish can be skipped when nothing changed.
 */
public final class RouteSnapshotBuilder {

  private RouteSnapshotBuilder() {}

  public static RouteSnapshot build(
      long version,
      Collection<ApiRecord> apis,
      Collection<SplitterRecord> splitters,
      Function<String, List<ReplicaInfo>> replicas) {
    RouteSnapshot.Builder b = RouteSnapshot.newBuilder().setVersion(version);
    apis.stream()
        .sorted(Comparator.comparing(ApiRecord::name))
        .forEach(a -> b.addApis(api(a, replicas.apply(a.name()))));
    splitters.stream()
        .sorted(Comparator.comparing(SplitterRecord::name))
        .forEach(s -> b.addSplitters(splitter(s)));
    return b.build();
  }

  /** Whether two snapshots route the same way (versions aside). */
  public static boolean sameRoutes(RouteSnapshot a, RouteSnapshot b) {
    return a.toBuilder().setVersion(0).build().equals(b.toBuilder().setVersion(0).build());
  }

  private static ApiRoute api(ApiRecord a, List<ReplicaInfo> replicas) {
    TrafficSpec t = a.api().spec().traffic();
    ApiRoute.Builder b =
        ApiRoute.newBuilder()
            .setName(a.name())
            .setModelName(a.name())
            .setScaledToZero(a.desiredReplicas() == 0)
            .setLimits(
                TrafficLimits.newBuilder()
                    .setMaxConcurrency(t.maxConcurrency())
                    .setMaxQueueLength(t.maxQueueLength())
                    .setTimeout(duration(t.timeout())))
            .setAsyncResultTtl(duration(a.api().spec().async().resultTtl()));
    a.traffic().entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted(
            Map.Entry.<String, Integer>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .forEach(
            e -> {
              RevisionRoute.Builder r =
                  RevisionRoute.newBuilder()
                      .setRevision(e.getKey())
                      .setTrafficPercent(e.getValue());
              replicas.stream()
                  .filter(x -> x.ready() && x.revision().equals(e.getKey()))
                  .sorted(Comparator.comparing(ReplicaInfo::id))
                  .forEach(
                      x ->
                          r.addEndpoints(
                              Endpoint.newBuilder()
                                  .setAddress(x.grpcAddress())
                                  .setReplicaId(x.id())));
              b.addRevisions(r);
            });
    return b.build();
  }

  private static SplitterRoute splitter(SplitterRecord s) {
    SplitterRoute.Builder b = SplitterRoute.newBuilder().setName(s.name());
    for (io.serval.operator.spec.SplitTarget t : s.splitter().spec().apis()) {
      b.addTargets(
          SplitTarget.newBuilder().setApi(t.name()).setWeight(t.weight()).setShadow(t.shadow()));
    }
    return b.build();
  }

  static Duration duration(java.time.Duration d) {
    return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }
}
