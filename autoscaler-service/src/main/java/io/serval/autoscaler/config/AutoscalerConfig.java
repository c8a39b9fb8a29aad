package io.serval.autoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The autoscaler's own settings. Per-API settings come from the operator with each API's spec. */
@ConfigMapping(prefix = "serval.autoscaler")
public interface AutoscalerConfig {

  /**
   * How often desired replicas are computed for every autoscaled API. Cortex uses 10 s; at least 1
   * s, in whole seconds (samples are per second).
   */
  @WithDefault("10s")
  Duration tick();

  /**
   * Decide at once, rather than at the next tick, when a router's report puts an API that is not in
   * panic over its panic threshold: the burst is then answered within about a second of the step,
   * whatever the tick (the decision otherwise waits up to one tick more). Only the start of a panic
   * is decided early, once per burst; off by default, the tick alone paces decisions.
   */
  @WithDefault("false")
  boolean panicOnReport();

  /** The operator's gRPC address ({@code host:port}) serving {@code serval.control.v1.Scaling}. */
  @WithDefault("localhost:8091")
  String operatorAddress();

  /** Deadline of one call to the operator; retries come on top (see docs/autoscaling.md). */
  @WithDefault("2s")
  Duration operatorCallTimeout();

  /**
   * How often decisions that could not be delivered are sent again while the operator is away. Only
   * the latest decision per API is kept.
   */
  @WithDefault("1s")
  Duration redeliveryInterval();

  /**
   * A router whose last report is older than this stops counting: its samples leave the sums, as if
   * it had never reported.
   */
  @WithDefault("5s")
  Duration sampleMaxAge();

  /**
   * How long per-second samples are kept. Windows longer than this are cut to it, so keep it above
   * the longest autoscaling window.
   */
  @WithDefault("15m")
  Duration sampleRetention();
}
