package io.serval.autoscaler.simulation;

import java.util.List;
import java.util.Random;

/** The traces the simulator replays (docs/autoscaling.md shows each). */
public final class LoadTraces {

  /** Load changes off a tick boundary, as real load does. */
  public static final int CHANGE_AT = 605;

  private LoadTraces() {}

  public static List<LoadTrace> all() {
    return List.of(stepX4(), slowRamp(), shortSpike(), diurnalWave(), dropToZero());
  }

  /** 6 in flight (one replica at 75%), then 24 from {@link #CHANGE_AT}. */
  public static LoadTrace stepX4() {
    return new LoadTrace(
        "step-x4", "6 in flight, x4 to 24 at 10:05", 1800, CHANGE_AT, s -> s < CHANGE_AT ? 6 : 24);
  }

  /** 4 in flight, rising steadily to 40 over 20 minutes, then flat. */
  public static LoadTrace slowRamp() {
    int start = 300;
    int length = 1200;
    return new LoadTrace(
        "slow-ramp",
        "4 -> 40 in flight over 20 min from 5:00",
        2400,
        start,
        s -> s < start ? 4 : 4 + 36 * Math.min(1.0, (s - start) / (double) length));
  }

  /** 6 in flight with a 15-second spike to 40. */
  public static LoadTrace shortSpike() {
    return new LoadTrace(
        "short-spike",
        "6 in flight, 40 for 15 s at 10:05",
        1800,
        CHANGE_AT,
        s -> s >= CHANGE_AT && s < CHANGE_AT + 15 ? 40 : 6);
  }

  /** A compressed day: 24 +- 16 in flight with a 30-minute period and +-10% noise. */
  public static LoadTrace diurnalWave() {
    double[] noise = noise(5400, 0.10, 42);
    return new LoadTrace(
        "diurnal-wave",
        "24 +- 16 in flight, 30 min period, +-10% noise",
        5400,
        -1,
        s -> (24 + 16 * Math.sin(2 * Math.PI * s / 1800.0)) * noise[s]);
  }

  /** 24 in flight, then nothing from {@link #CHANGE_AT}. */
  public static LoadTrace dropToZero() {
    return new LoadTrace(
        "drop-to-zero",
        "24 in flight, 0 from 10:05 (minReplicas 0)",
        1800,
        CHANGE_AT,
        s -> s < CHANGE_AT ? 24 : 0);
  }

  /** Flat load with uniform multiplicative noise of +-{@code noise}. */
  public static LoadTrace steadyWithNoise(double level, double noise, int seconds, long seed) {
    double[] factors = noise(seconds, noise, seed);
    return new LoadTrace(
        "steady-noise",
        level + " in flight +-" + Math.round(noise * 100) + "%",
        seconds,
        -1,
        s -> level * factors[s]);
  }

  /** Flat load. */
  public static LoadTrace steady(double level, int seconds) {
    return new LoadTrace("steady", level + " in flight", seconds, -1, s -> level);
  }

  private static double[] noise(int seconds, double amplitude, long seed) {
    Random random = new Random(seed);
    double[] factors = new double[seconds];
    for (int i = 0; i < seconds; i++) {
      factors[i] = 1 + amplitude * (2 * random.nextDouble() - 1);
    }
    return factors;
  }
}
