package io.serval.autoscaler.scaling;

import io.serval.autoscaler.aggregation.InFlightAverage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Serval's scaling policy, free of I/O: Cortex's recommendation (reference/cortex.md, section 2)
 * with overprovisioning folded into the load, then Knative-style panic mode, then the scale from
 * and to zero rules. Call {@link #decide} once per tick per API with that API's {@link
 * ScalingState}.
 */
public final class ScalingPolicy {

  /** Absorbs floating-point noise so that 16.0 / 8 * 1.0 rounds up to 2, not 3. */
  private static final double EPSILON = 1e-9;

  private final Clock clock;

  public ScalingPolicy(Clock clock) {
    this.clock = clock;
  }

  public ScalingDecision decide(ScalingInput in, ScalingState state) {
    Instant now = clock.instant();
    AutoscalingSpec spec = in.spec();
    int cur = in.currentReplicas();
    if (state.trackingStart == null) {
      state.trackingStart = now;
    }
    // The operator (on a router's WakeUp) or we ourselves took the API off zero: count that as
    // activity and remember it, so that the downscale rules and scale-to-zero wait a full period
    // even if no sample shows the waiting request yet.
    boolean woken = state.lastObservedCurrent == 0 && cur > 0;
    state.lastObservedCurrent = cur;
    in.lastActiveAt()
        .filter(at -> state.lastActiveAt == null || at.isAfter(state.lastActiveAt))
        .ifPresent(at -> state.lastActiveAt = at);
    if (woken) {
      state.lastWokenAt = now;
      state.history.add(now, cur);
    }

    Steps steps = new Steps();
    if (in.window().isEmpty()) {
      updatePanic(in, state, now, steps, cur);
      return new ScalingDecision(
          now, in, OptionalDouble.empty(), steps.list, cur, state.inPanic(), woken);
    }

    double raw = in.window().get().value() / spec.targetInFlight();
    if (in.asyncBacklog() > 0) {
      // Cortex's async autoscaling: the queue counts like requests in flight, per replica target.
      double withBacklog = (in.window().get().value() + in.asyncBacklog()) / spec.targetInFlight();
      steps.add(
          "async-backlog",
          raw,
          withBacklog,
          "%.2f async requests wait in the store (window average): (in-flight + backlog) /"
              + " targetInFlight %s",
          in.asyncBacklog(),
          io.serval.specrules.SpecNumbers.format(spec.targetInFlight()));
      raw = withBacklog;
    }
    int req = cortexRecommendation(spec, cur, raw, state, now, steps);
    req = applyPanic(in, state, now, steps, req, cur);
    req = applyScaleFromZero(in, steps, req, cur);
    req = applyScaleToZero(in, state, now, steps, req, cur);
    return new ScalingDecision(
        now, in, OptionalDouble.of(raw), steps.list, req, state.inPanic(), woken);
  }

  private static int cortexRecommendation(
      AutoscalingSpec spec, int cur, double raw, ScalingState state, Instant now, Steps steps) {
    double load = raw;
    if (spec.overprovisioning() > 0) {
      load = raw * (1 + spec.overprovisioning());
      steps.add(
          "overprovisioning",
          raw,
          load,
          "keep %.0f%% spare capacity: raw x %.2f",
          spec.overprovisioning() * 100,
          1 + spec.overprovisioning());
    }
    int rec = ceil(load);
    if (rec != load) {
      steps.add("ceil", load, rec, "round up to whole replicas");
    }
    if (load < cur && load > cur * (1 - spec.downscaleTolerance())) {
      steps.add(
          "downscale-tolerance",
          rec,
          cur,
          "%.3f is within %.0f%% below the current %d",
          load,
          spec.downscaleTolerance() * 100,
          cur);
      rec = cur;
    }
    if (load > cur && load < cur * (1 + spec.upscaleTolerance())) {
      steps.add(
          "upscale-tolerance",
          rec,
          cur,
          "%.3f is within %.0f%% above the current %d",
          load,
          spec.upscaleTolerance() * 100,
          cur);
      rec = cur;
    }
    int downFloor = Math.min(cur - 1, ceil(cur * spec.maxDownscaleFactor()));
    if (rec < downFloor) {
      steps.add(
          "max-downscale-factor",
          rec,
          downFloor,
          "at most x%.2f per tick from %d (one less is always allowed)",
          spec.maxDownscaleFactor(),
          cur);
      rec = downFloor;
    }
    int upCeiling = Math.max(cur + 1, ceil(cur * spec.maxUpscaleFactor()));
    if (rec > upCeiling) {
      steps.add(
          "max-upscale-factor",
          rec,
          upCeiling,
          "at most x%.2f per tick from %d (one more is always allowed)",
          spec.maxUpscaleFactor(),
          cur);
      rec = upCeiling;
    }
    rec = clamp(spec, rec, steps);

    Duration downP = spec.downscaleStabilizationPeriod();
    Duration upP = spec.upscaleStabilizationPeriod();
    state.history.add(now, rec);
    state.history.gc(now, downP.compareTo(upP) > 0 ? downP : upP);
    Duration tracked = Duration.between(state.trackingStart, now);

    int req = rec;
    if (req < cur) {
      if (tracked.compareTo(downP) < 0) {
        steps.add(
            "downscale-start-up",
            req,
            cur,
            "no downscale until tracked for downscaleStabilizationPeriod %s (tracked %s)",
            downP,
            tracked);
        req = cur;
      } else {
        int floor = Math.min(state.history.maxSince(now.minus(downP)).orElse(req), cur);
        if (floor > req) {
          steps.add(
              "downscale-stabilization",
              req,
              floor,
              "highest recommendation of the last %s",
              downP);
          req = floor;
        }
      }
    }
    if (req > cur) {
      if (tracked.compareTo(upP) < 0) {
        steps.add(
            "upscale-start-up",
            req,
            cur,
            "no upscale until tracked for upscaleStabilizationPeriod %s (tracked %s)",
            upP,
            tracked);
        req = cur;
      } else {
        int ceiling = Math.max(state.history.minSince(now.minus(upP)).orElse(req), cur);
        if (ceiling < req) {
          steps.add(
              "upscale-stabilization", req, ceiling, "lowest recommendation of the last %s", upP);
          req = ceiling;
        }
      }
    }
    return req;
  }

  private static int clamp(AutoscalingSpec spec, int rec, Steps steps) {
    if (rec < spec.minReplicas()) {
      steps.add("min-replicas", rec, spec.minReplicas(), "minReplicas is %d", spec.minReplicas());
      return spec.minReplicas();
    }
    if (rec > spec.maxReplicas()) {
      steps.add("max-replicas", rec, spec.maxReplicas(), "maxReplicas is %d", spec.maxReplicas());
      return spec.maxReplicas();
    }
    return rec;
  }

  /**
   * Enters or extends panic when the short-window load calls for at least threshold x the ready
   * replicas (ready counted as at least one, as Knative does); leaves it once the threshold has not
   * been reached for a whole stable window.
   */
  private static void updatePanic(
      ScalingInput in, ScalingState state, Instant now, Steps steps, int cur) {
    if (in.spec().panic().isEmpty() || in.panic().isEmpty()) {
      return;
    }
    if (panicCalledFor(in.spec(), in.readyReplicas(), in.panic().get())) {
      if (state.panicSince == null) {
        state.panicSince = now;
      }
      state.panicLastTriggered = now;
    } else if (state.panicSince != null
        && !now.isBefore(state.panicLastTriggered.plus(in.spec().window()))) {
      state.panicSince = null;
      steps.add(
          "panic-exit",
          cur,
          cur,
          "below the panic threshold for a whole window (%s) since %s",
          in.spec().window(),
          state.panicLastTriggered);
    }
  }

  /**
   * Whether the load over the panic window calls for at least {@code panic.threshold} x the ready
   * replicas (ready counted as at least one, as Knative does): the rule that enters or extends
   * panic. False for a spec without panic.
   */
  public static boolean panicCalledFor(
      AutoscalingSpec spec, int readyReplicas, InFlightAverage panicAverage) {
    if (spec.panic().isEmpty()) {
      return false;
    }
    int ready = Math.max(1, readyReplicas);
    return panicLoad(spec, panicAverage) >= spec.panic().get().threshold() * ready;
  }

  private static double panicLoad(ScalingInput in) {
    return panicLoad(in.spec(), in.panic().orElseThrow());
  }

  private static double panicLoad(AutoscalingSpec spec, InFlightAverage p) {
    return p.value() / spec.targetInFlight() * (1 + spec.overprovisioning());
  }

  private static int applyPanic(
      ScalingInput in, ScalingState state, Instant now, Steps steps, int req, int cur) {
    updatePanic(in, state, now, steps, cur);
    if (!state.inPanic()) {
      return req;
    }
    AutoscalingSpec spec = in.spec();
    int panicRec = Math.min(spec.maxReplicas(), Math.max(spec.minReplicas(), ceil(panicLoad(in))));
    int target = Math.max(req, Math.max(panicRec, cur));
    if (target != req) {
      steps.add(
          "panic",
          req,
          target,
          "in panic since %s: %.2f replicas called for over %s with %d ready; scale up at once,"
              + " never down",
          state.panicSince,
          panicLoad(in),
          spec.panic().get().window(),
          in.readyReplicas());
    }
    return target;
  }

  private static int applyScaleFromZero(ScalingInput in, Steps steps, int req, int cur) {
    if (cur > 0 || req > 0) {
      return req;
    }
    boolean waiting =
        in.window().get().value() > 0
            || in.panic().map(p -> p.value() > 0).orElse(false)
            || in.asyncBacklog() > 0;
    if (!waiting) {
      return req;
    }
    int target = Math.max(1, in.spec().minReplicas());
    steps.add(
        "scale-from-zero",
        req,
        target,
        "requests (realtime or async) are waiting for an API at zero replicas; no stabilization"
            + " applies");
    return target;
  }

  private static int applyScaleToZero(
      ScalingInput in, ScalingState state, Instant now, Steps steps, int req, int cur) {
    AutoscalingSpec spec = in.spec();
    if (spec.minReplicas() > 0 || cur == 0) {
      return req;
    }
    Instant lastActive = state.trackingStart;
    for (Instant candidate : new Instant[] {state.lastActiveAt, state.lastWokenAt}) {
      if (candidate != null && candidate.isAfter(lastActive)) {
        lastActive = candidate;
      }
    }
    Duration idle = Duration.between(lastActive, now);
    boolean idleLongEnough = idle.compareTo(spec.downscaleStabilizationPeriod()) >= 0;
    if (idleLongEnough && in.window().get().value() == 0 && in.asyncBacklog() == 0 && req != 0) {
      steps.add(
          "scale-to-zero",
          req,
          0,
          "no request in flight for %s (downscaleStabilizationPeriod %s)",
          idle,
          spec.downscaleStabilizationPeriod());
      return 0;
    }
    if (!idleLongEnough && req == 0) {
      steps.add(
          "scale-to-zero-hold",
          0,
          1,
          "last activity %s ago; zero only after %s without requests",
          idle,
          spec.downscaleStabilizationPeriod());
      return 1;
    }
    return req;
  }

  private static int ceil(double v) {
    return (int) Math.ceil(v - EPSILON);
  }

  /** Collects the rules that changed the value. */
  private static final class Steps {
    final List<ScalingStep> list = new ArrayList<>();

    void add(String rule, double from, double to, String reason, Object... args) {
      list.add(new ScalingStep(rule, from, to, String.format(Locale.ROOT, reason, args)));
    }
  }
}
