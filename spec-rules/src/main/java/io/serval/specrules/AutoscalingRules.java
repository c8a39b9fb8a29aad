package io.serval.specrules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The bounds of every {@code spec.autoscaling} field, in one place. The operator refuses a spec
 * that breaks them (400, each problem named by its field path); the autoscaler checks what it is
 * sent with the same rules, so a spec the operator accepts is never refused there.
 *
 * <p>Until these rules were shared, the two disagreed; each bound was then decided by what the
 * autoscaler's policy needs and what docs/spec-reference.md tells users:
 *
 * <ul>
 *   <li>{@code overprovisioning} in [0, 1) (the autoscaler took up to 10): the policy works with
 *       any finite spare fraction, but users are told [0, 1) and the operator, the only way in,
 *       always held it; a fraction below 1 also catches "25" written for 25 %.
 *   <li>{@code panic.threshold} > 1 (the autoscaler took 1): at 1 panic mode would start whenever
 *       the short-window load merely equals the ready capacity, that is under any steady full load,
 *       and block every scale-down; Knative's panic threshold likewise starts above 100 %.
 *   <li>{@code panic.window} at least 1 s (the operator took anything above 0): the autoscaler
 *       keeps in-flight samples per second, so a shorter window would silently be read as 1 s;
 *       before, the operator accepted such a spec and the autoscaler then refused to scale the API.
 *   <li>{@code window} at least 1 s and at most 1 h, stabilization periods 0 to 1 h, at most 1000
 *       replicas (the autoscaler had no upper bounds): past them a spec is a mistake, never a need.
 *   <li>Factors, tolerances, {@code targetInFlight} and {@code panic.threshold} finite (the
 *       operator took an infinite {@code maxUpscaleFactor}, {@code upscaleTolerance} or threshold,
 *       which the autoscaler then refused).
 * </ul>
 *
 * <p>Rules that need more than this section stay with the operator, which has the context: the
 * runtime's replica cap, {@code targetInFlight} against the traffic limits, and a window that is a
 * multiple of the autoscaler tick.
 */
public final class AutoscalingRules {

  private static final String PREFIX = "spec.autoscaling.";

  /** The most replicas ({@code minReplicas}, {@code maxReplicas}, {@code initReplicas}). */
  public static final int MAX_REPLICAS = 1000;

  /**
   * The shortest {@code window} and {@code panic.window}: in-flight samples are kept per second.
   */
  public static final Duration MIN_WINDOW = Duration.ofSeconds(1);

  /** The longest {@code window} and stabilization period. */
  public static final Duration MAX_PERIOD = Duration.ofHours(1);

  /** {@code maxUpscaleFactor} must be above this (a factor of 1 could never scale up). */
  public static final double MIN_UPSCALE_FACTOR_EXCLUSIVE = 1;

  /**
   * {@code maxDownscaleFactor}, {@code downscaleTolerance} and {@code overprovisioning} are
   * fractions below this.
   */
  public static final double FRACTION_LIMIT_EXCLUSIVE = 1;

  /** {@code panic.threshold} must be above this. */
  public static final double MIN_PANIC_THRESHOLD_EXCLUSIVE = 1;

  private AutoscalingRules() {}

  /** Every broken bound, in field order; empty when the values are valid. */
  public static List<SpecProblem> check(AutoscalingValues v) {
    Problems p = new Problems();
    if (v.minReplicas() < 0) {
      p.add("minReplicas", "must be >= 0, got " + v.minReplicas());
    }
    atMostMaxReplicas(p, "minReplicas", v.minReplicas());
    atMostMaxReplicas(p, "maxReplicas", v.maxReplicas());
    atMostMaxReplicas(p, "initReplicas", v.initReplicas());
    if (v.maxReplicas() < v.minReplicas()) {
      p.add(
          "maxReplicas",
          "must be >= minReplicas (" + v.minReplicas() + "), got " + v.maxReplicas());
    } else if (v.maxReplicas() < 1) {
      p.add("maxReplicas", "must be >= 1, got " + v.maxReplicas());
    }
    if (v.initReplicas() < v.minReplicas() || v.initReplicas() > v.maxReplicas()) {
      p.add(
          "initReplicas",
          "must be between minReplicas ("
              + v.minReplicas()
              + ") and maxReplicas ("
              + v.maxReplicas()
              + "), got "
              + v.initReplicas());
    }
    if (!(v.targetInFlight() > 0)) {
      p.add("targetInFlight", "must be > 0, got " + SpecNumbers.format(v.targetInFlight()));
    } else {
      finite(p, "targetInFlight", v.targetInFlight());
    }
    if (v.window() == null) {
      p.add("window", "must be set");
    } else if (v.window().compareTo(MIN_WINDOW) < 0) {
      p.add(
          "window",
          "must be >= " + Durations.format(MIN_WINDOW) + ", got " + Durations.format(v.window()));
    } else {
      atMostMaxPeriod(p, "window", v.window());
    }
    period(p, "upscaleStabilizationPeriod", v.upscaleStabilizationPeriod());
    period(p, "downscaleStabilizationPeriod", v.downscaleStabilizationPeriod());
    if (!(v.maxUpscaleFactor() > MIN_UPSCALE_FACTOR_EXCLUSIVE)) {
      p.add("maxUpscaleFactor", "must be > 1, got " + SpecNumbers.format(v.maxUpscaleFactor()));
    } else {
      finite(p, "maxUpscaleFactor", v.maxUpscaleFactor());
    }
    fraction(p, "maxDownscaleFactor", v.maxDownscaleFactor());
    if (!(v.upscaleTolerance() >= 0)) {
      p.add("upscaleTolerance", "must be >= 0, got " + SpecNumbers.format(v.upscaleTolerance()));
    } else {
      finite(p, "upscaleTolerance", v.upscaleTolerance());
    }
    fraction(p, "downscaleTolerance", v.downscaleTolerance());
    fraction(p, "overprovisioning", v.overprovisioning());
    if (v.panic() == null) {
      p.add("panic", "must be present or empty");
    } else if (v.panic().isPresent()) {
      panic(p, v.panic().get(), v.window());
    }
    return p.list;
  }

  private static void panic(Problems p, AutoscalingValues.Panic panic, Duration window) {
    Duration pw = panic.window();
    if (pw == null
        || pw.compareTo(MIN_WINDOW) < 0
        || (window != null && pw.compareTo(window) > 0)) {
      p.add(
          "panic.window",
          "must be >= "
              + Durations.format(MIN_WINDOW)
              + " and <= window ("
              + (window == null ? "unset" : Durations.format(window))
              + "), got "
              + (pw == null ? "nothing" : Durations.format(pw)));
    }
    if (!(panic.threshold() > MIN_PANIC_THRESHOLD_EXCLUSIVE)) {
      p.add("panic.threshold", "must be > 1, got " + SpecNumbers.format(panic.threshold()));
    } else {
      finite(p, "panic.threshold", panic.threshold());
    }
  }

  private static void atMostMaxReplicas(Problems p, String field, int value) {
    if (value > MAX_REPLICAS) {
      p.add(field, "must be at most " + MAX_REPLICAS + ", got " + value);
    }
  }

  private static void period(Problems p, String field, Duration d) {
    if (d == null) {
      p.add(field, "must be set");
    } else if (d.isNegative()) {
      p.add(field, "must be >= 0, got " + Durations.format(d));
    } else {
      atMostMaxPeriod(p, field, d);
    }
  }

  private static void atMostMaxPeriod(Problems p, String field, Duration d) {
    if (d.compareTo(MAX_PERIOD) > 0) {
      p.add(
          field,
          "must be at most " + Durations.format(MAX_PERIOD) + ", got " + Durations.format(d));
    }
  }

  private static void fraction(Problems p, String field, double v) {
    if (!(v >= 0 && v < FRACTION_LIMIT_EXCLUSIVE)) {
      p.add(field, "must be in [0, 1), got " + SpecNumbers.format(v));
    }
  }

  private static void finite(Problems p, String field, double v) {
    if (Double.isInfinite(v)) {
      p.add(field, "must be a finite number, got " + SpecNumbers.format(v));
    }
  }

  /** Collects problems with the section's path in front of each field. */
  private static final class Problems {
    private final List<SpecProblem> list = new ArrayList<>();

    void add(String field, String message) {
      list.add(new SpecProblem(PREFIX + field, message));
    }
  }
}
