package io.serval.autoscaler.simulation;

import io.serval.autoscaler.scaling.AutoscalingSpec;
import java.time.Duration;
import java.util.List;

/** The policies each trace is replayed with: Serval's defaults and Cortex's, side by side. */
public final class Scenarios {

  /** The example API's target: traffic.maxConcurrency 8. */
  public static final double TARGET = 8;

  public static final Duration TICK = Duration.ofSeconds(10);

  private Scenarios() {}

  /** Serval's defaults (panic on), then Cortex's (panic off) for the same trace. */
  public static List<Scenario> sideBySide(LoadTrace trace) {
    int min = trace.name().equals("drop-to-zero") ? 0 : 1;
    int initial = (int) Math.max(1, Math.ceil(trace.at(0) / TARGET));
    AutoscalingSpec serval =
        AutoscalingSpec.servalDefaults(TARGET).minReplicas(min).maxReplicas(20).build();
    AutoscalingSpec cortex =
        AutoscalingSpec.cortexDefaults(TARGET).minReplicas(min).maxReplicas(20).build();
    return List.of(
        new Scenario("serval", trace, serval, ReplicaModel.Params.defaults(), TICK, initial),
        new Scenario("cortex", trace, cortex, ReplicaModel.Params.defaults(), TICK, initial));
  }
}
