package io.serval.autoscaler.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.serval.autoscaler.telemetry.AutoscalerMetrics;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The autoscaler's per-API gauges follow the APIs it scales: a deleted API's leave the registry.
 */
class ApiDecisionsMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ApiDecisions decisions =
      new ApiDecisions(new AutoscalerMetrics(registry), Clock.systemUTC());

  @Test
  void metersOfAnApiTheOperatorNoLongerAutoscalesAreRemoved() {
    decisions.entry("kept");
    decisions.entry("deleted");
    assertThat(registry.find("serval.autoscaler.desired.replicas").gauges()).hasSize(2);

    decisions.retainOnly(Set.of("kept"));

    assertThat(registry.getMeters())
        .extracting(Meter::getId)
        .allSatisfy(id -> assertThat(id.getTag("api")).isNotEqualTo("deleted"));
    assertThat(registry.find("serval.autoscaler.desired.replicas").tag("api", "kept").gauges())
        .hasSize(1);
    assertThat(registry.find("serval.autoscaler.panic.mode").tag("api", "deleted").gauges())
        .isEmpty();
  }
}
