package io.serval.operator.metrics;

import static io.serval.operator.spec.SpecFixtures.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.serval.operator.control.DeployPlanner;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaPhase;
import io.serval.operator.spec.SpecParser;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.RolloutState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<ApiRecord> apis = new CopyOnWriteArrayList<>();
  private final List<ReplicaInfo> replicas = new CopyOnWriteArrayList<>();
  private final OperatorMetrics metrics =
      new OperatorMetrics(
          registry,
          () -> List.copyOf(apis),
          api -> replicas.stream().filter(r -> r.id().startsWith(api + "-")).toList(),
          r -> r.restarts() >= 3);

  private static ApiRecord record(String name, int replicas) {
    return new DeployPlanner(true)
        .plan(
            new SpecParser().parse(api(name, "autoscaling: {initReplicas: " + replicas + "}")),
            Map.of(),
            Map.of(),
            T0)
        .getFirst()
        .api();
  }

  private static ReplicaInfo replica(String id, String rev, ReplicaPhase phase, int restarts) {
    return new ReplicaInfo(id, rev, "h:1", "h:2", phase, restarts, null);
  }

  @Test
  void desiredReadyAndCrashLoopingReplicasAreReadAtEachScrape() {
    ApiRecord a = record("a", 3);
    String rev = a.revision();
    apis.add(a);
    metrics.refresh();

    replicas.add(replica("a-1", rev, ReplicaPhase.READY, 0));
    replicas.add(replica("a-2", rev, ReplicaPhase.STARTING, 4));

    assertThat(value("serval_operator_desired_replicas", "a", null)).isEqualTo(3);
    assertThat(value("serval_operator_replicas", "a", rev)).isEqualTo(2);
    assertThat(value("serval_operator_ready_replicas", "a", rev)).isEqualTo(1);
    assertThat(value("serval_operator_crash_looping_replicas", "a", rev)).isEqualTo(1);
    assertThat(value("serval_operator_traffic_percent", "a", rev)).isEqualTo(100);
    assertThat(value("serval_operator_rollout_in_progress", "a", null)).isZero();

    replicas.set(1, replica("a-2", rev, ReplicaPhase.READY, 0));
    assertThat(value("serval_operator_ready_replicas", "a", rev)).isEqualTo(2);
    assertThat(value("serval_operator_crash_looping_replicas", "a", rev)).isZero();
  }

  @Test
  void aRolloutShowsItsTargetRevisionAndWhenItLastMoved() {
    ApiRecord a = record("a", 1);
    Instant moved = T0.plusSeconds(90);
    ApiRecord rolling =
        a.withRollout(
            new RolloutState(a.revision(), "r-new", RolloutState.Phase.SHIFTING, 0, moved, "10%"),
            Map.of(a.revision(), 90, "r-new", 10),
            moved);
    apis.add(rolling);
    metrics.refresh();

    assertThat(value("serval_operator_rollout_in_progress", "a", null)).isEqualTo(1);
    assertThat(value("serval_operator_rollout_last_transition_timestamp_seconds", "a", null))
        .isEqualTo(moved.getEpochSecond());
    assertThat(value("serval_operator_traffic_percent", "a", "r-new")).isEqualTo(10);
    assertThat(value("serval_operator_traffic_percent", "a", a.revision())).isEqualTo(90);
  }

  @Test
  void seriesOfDeletedApisLeaveTheRegistry() {
    ApiRecord kept = record("kept", 1);
    ApiRecord deleted = record("deleted", 1);
    apis.add(kept);
    apis.add(deleted);
    metrics.refresh();
    assertThat(apiTags()).contains("kept", "deleted");

    apis.remove(deleted);
    metrics.refresh();

    assertThat(apiTags()).containsOnly("kept");
    assertThat(registry.find("serval_operator_ready_replicas").tag("api", "kept").gauges())
        .hasSize(1);
    assertThat(registry.find("serval_operator_desired_replicas").tag("api", "deleted").gauges())
        .isEmpty();
  }

  private List<String> apiTags() {
    List<String> out = new ArrayList<>();
    for (Meter m : registry.getMeters()) {
      out.add(m.getId().getTag("api"));
    }
    return out;
  }

  private double value(String name, String api, String revision) {
    var search = registry.find(name).tag("api", api);
    if (revision != null) {
      search = search.tag("revision", revision);
    }
    return search.gauge().value();
  }
}
