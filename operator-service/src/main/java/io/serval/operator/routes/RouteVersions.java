package io.serval.operator.routes;

import java.time.Instant;

/**
 * The first route version of an operator run: above the last one this operator persisted, and at
 * least the wall clock in microseconds. Each change adds one, so a later run starts above an
 * earlier one's versions unless that run made more than a million changes per second of its life
 * (or the clock went back further than the persisted version covers): ordered across restarts with
 * an empty state directory and, with synchronised clocks, across operator replicas started later.
 */
public final class RouteVersions {

  private RouteVersions() {}

  public static long first(long persisted, Instant now) {
    long micros = Math.multiplyExact(now.getEpochSecond(), 1_000_000L) + now.getNano() / 1_000;
    return Math.max(persisted + 1, micros);
  }
}
