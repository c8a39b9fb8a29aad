package io.serval.autoscaler.simulation;

import java.util.function.IntToDoubleFunction;

/**
 * Offered load over time, in requests that would be in flight if capacity were unlimited (arrival
 * rate x service time).
 *
 * @param changeAt the second at which the interesting change starts (step, spike, drop), or -1
 */
public record LoadTrace(
    String name, String description, int seconds, int changeAt, IntToDoubleFunction load) {

  public double at(int second) {
    return load.applyAsDouble(second);
  }
}
