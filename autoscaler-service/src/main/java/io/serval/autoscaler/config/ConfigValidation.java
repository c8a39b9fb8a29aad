package io.serval.autoscaler.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Checks {@link AutoscalerConfig} so that a bad value stops the service at start-up. */
public final class ConfigValidation {

  private ConfigValidation() {}

  /** Every problem found, each naming its property; empty when the config is usable. */
  public static List<String> problems(AutoscalerConfig c) {
    List<String> p = new ArrayList<>();
    if (c.tick().compareTo(Duration.ofSeconds(1)) < 0 || c.tick().toMillis() % 1000 != 0) {
      p.add("serval.autoscaler.tick must be whole seconds and >= 1s, got " + c.tick());
    }
    try {
      OperatorAddress.parse(c.operatorAddress());
    } catch (IllegalArgumentException e) {
      p.add("serval.autoscaler.operator-address: " + e.getMessage());
    }
    positive(p, "operator-call-timeout", c.operatorCallTimeout());
    positive(p, "redelivery-interval", c.redeliveryInterval());
    if (c.sampleMaxAge().compareTo(Duration.ofSeconds(1)) <= 0) {
      p.add(
          "serval.autoscaler.sample-max-age must be > 1s (routers report every second), got "
              + c.sampleMaxAge());
    }
    if (c.sampleRetention().compareTo(Duration.ofSeconds(10)) < 0) {
      p.add("serval.autoscaler.sample-retention must be >= 10s, got " + c.sampleRetention());
    }
    return p;
  }

  /** Throws with every problem at once. */
  public static void check(AutoscalerConfig c) {
    List<String> p = problems(c);
    if (!p.isEmpty()) {
      throw new IllegalStateException("bad autoscaler configuration: " + String.join("; ", p));
    }
  }

  private static void positive(List<String> p, String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      p.add("serval.autoscaler." + name + " must be > 0, got " + d);
    }
  }
}
