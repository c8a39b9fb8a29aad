package io.serval.operator.spec;

import java.time.Duration;
import java.util.List;

/** Defaults of every optional spec field; Cortex's where Cortex had the field. */
public final class SpecDefaults {

  private SpecDefaults() {}

  public static final int WORKERS = 1;
  public static final int THREADS_PER_WORKER = 1;
  public static final int MAX_BATCH_SIZE = 1;
  public static final Duration MAX_QUEUE_DELAY = Duration.ofMillis(2);
  public static final int MAX_QUEUE_SIZE = 256;

  public static final String CPU = "200m";
  public static final int GPU = 0;
  public static final int INF = 0;

  public static final int MAX_CONCURRENCY = 1;
  public static final int MAX_QUEUE_LENGTH = 100;

  /** Cortex had no request timeout (#1452); 30s sits just above the 29s its API Gateway imposed. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  public static final int MIN_REPLICAS = 1;
  public static final int MAX_REPLICAS = 100;
  public static final Duration WINDOW = Duration.ofSeconds(60);
  public static final Duration UPSCALE_STABILIZATION = Duration.ofMinutes(1);
  public static final Duration DOWNSCALE_STABILIZATION = Duration.ofMinutes(5);
  public static final double MAX_UPSCALE_FACTOR = 1.5;
  public static final double MAX_DOWNSCALE_FACTOR = 0.75;
  public static final double UPSCALE_TOLERANCE = 0.05;
  public static final double DOWNSCALE_TOLERANCE = 0.05;
  public static final double OVERPROVISIONING = 0.0;
  public static final Duration PANIC_WINDOW = Duration.ofSeconds(6);
  public static final double PANIC_THRESHOLD = 2.0;

  public static final RolloutStrategy STRATEGY = RolloutStrategy.BlueGreen;
  public static final List<Integer> BLUE_GREEN_STEPS = List.of(100);
  public static final List<Integer> CANARY_STEPS = List.of(10, 50, 100);
  public static final Duration STEP_INTERVAL = Duration.ofSeconds(30);
  public static final Duration READY_TIMEOUT = Duration.ofMinutes(10);

  /** Percentage points a canary's failure rate may exceed the old revision's by. */
  public static final double MAX_ERROR_RATE_INCREASE = 5.0;

  /** Answers of a step the canary needs before its failure rate is judged. */
  public static final int MIN_REQUESTS = 20;

  /** Cortex's AutoscalingTickInterval; the window must be a multiple of it. */
  public static final Duration AUTOSCALER_TICK = Duration.ofSeconds(10);
}
