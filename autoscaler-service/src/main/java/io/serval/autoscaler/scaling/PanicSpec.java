package io.serval.autoscaler.scaling;

import java.time.Duration;

/**
 * Panic mode settings (Knative's KPA): a short window that reacts to bursts, and the multiple of
 * the ready replicas that the short-window recommendation must reach to enter panic.
 */
public record PanicSpec(Duration window, double threshold) {

  /** Knative's defaults: 10% of the 60 s stable window, 200%. */
  public static PanicSpec defaults() {
    return new PanicSpec(Duration.ofSeconds(6), 2.0);
  }
}
