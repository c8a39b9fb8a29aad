package io.serval.operator.spec;

import io.serval.security.UriRedaction;
import io.serval.specrules.AsyncRules;
import io.serval.specrules.AutoscalingRules;
import io.serval.specrules.AutoscalingValues;
import io.serval.specrules.Durations;
import io.serval.specrules.ModelUris;
import io.serval.specrules.SpecNumbers;
import io.serval.specrules.SpecProblem;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The value constraints of one resource (after defaults). Constraints across resources (splitter
 * targets, name clashes) belong to the deploy planner, which knows what is already deployed.
 */
public final class SpecValidator {

  /** Kubernetes names a revision's Deployment "{api}-{revision}": leave room for the suffix. */
  public static final int MAX_NAME_LENGTH = 42;

  private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern SHA256 = Pattern.compile(ModelSpec.SHA256_PATTERN);
  static final int MAX_TRAFFIC_LIMIT = 30_000;

  // Upper bounds on every runtime: past them a spec is a mistake or an attack (one API asking for
  // thousands of replicas, threads or queued requests), never a real need. The autoscaling bounds
  // are AutoscalingRules'.
  public static final int MAX_WORKERS = 64;
  public static final int MAX_THREADS_PER_WORKER = 64;
  public static final int MAX_BATCH_SIZE = 4096;
  public static final int MAX_QUEUE_SIZE = 100_000;
  static final Duration MAX_QUEUE_DELAY = Duration.ofSeconds(10);
  static final Duration MAX_REQUEST_TIMEOUT = Duration.ofHours(1);
  static final Duration MAX_ROLLOUT_PERIOD = Duration.ofHours(24);

  private final Duration autoscalerTick;
  private final Optional<ReplicaCap> cap;

  public SpecValidator(Duration autoscalerTick) {
    this(autoscalerTick, Optional.empty());
  }

  public SpecValidator(Duration autoscalerTick, Optional<ReplicaCap> cap) {
    this.cap = cap;
    if (autoscalerTick.isZero() || autoscalerTick.isNegative()) {
      throw new IllegalArgumentException("autoscaler tick must be positive, got " + autoscalerTick);
    }
    this.autoscalerTick = autoscalerTick;
  }

  public void validate(Resource resource, Problems.Scope p) {
    name(resource.name(), p);
    switch (resource) {
      case RealtimeApi api -> realtime(api.spec(), p);
      case TrafficSplitter splitter -> splitter(splitter.spec(), p);
    }
  }

  static void name(String name, Problems.Scope p) {
    if (name == null) {
      return;
    }
    if (name.length() > MAX_NAME_LENGTH || !DNS_1123_LABEL.matcher(name).matches()) {
      p.add(
          "metadata.name",
          "must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with"
              + " a letter or digit, at most "
              + MAX_NAME_LENGTH
              + " characters), got \""
              + name
              + "\"");
    }
  }

  private void realtime(RealtimeApiSpec s, Problems.Scope p) {
    model(s.model(), p);
    PredictorSpec pr = s.predictor();
    atLeast(p, "spec.predictor.workers", pr.workers(), 1);
    atMost(p, "spec.predictor.workers", pr.workers(), MAX_WORKERS);
    atLeast(p, "spec.predictor.threadsPerWorker", pr.threadsPerWorker(), 1);
    atMost(p, "spec.predictor.threadsPerWorker", pr.threadsPerWorker(), MAX_THREADS_PER_WORKER);
    atLeast(p, "spec.predictor.batching.maxBatchSize", pr.batching().maxBatchSize(), 1);
    atMost(p, "spec.predictor.batching.maxBatchSize", pr.batching().maxBatchSize(), MAX_BATCH_SIZE);
    positive(p, "spec.predictor.batching.maxQueueDelay", pr.batching().maxQueueDelay());
    atMost(
        p, "spec.predictor.batching.maxQueueDelay", pr.batching().maxQueueDelay(), MAX_QUEUE_DELAY);
    atLeast(p, "spec.predictor.batching.maxQueueSize", pr.batching().maxQueueSize(), 1);
    atMost(p, "spec.predictor.batching.maxQueueSize", pr.batching().maxQueueSize(), MAX_QUEUE_SIZE);
    WarmupSample.check(pr.warmup(), p);
    compute(s.compute(), p);
    TrafficSpec t = s.traffic();
    between(p, "spec.traffic.maxConcurrency", t.maxConcurrency(), 1, MAX_TRAFFIC_LIMIT);
    between(p, "spec.traffic.maxQueueLength", t.maxQueueLength(), 1, MAX_TRAFFIC_LIMIT);
    positive(p, "spec.traffic.timeout", t.timeout());
    atMost(p, "spec.traffic.timeout", t.timeout(), MAX_REQUEST_TIMEOUT);
    autoscaling(s.autoscaling(), t, p);
    rollout(s.rollout(), p);
    for (SpecProblem problem : AsyncRules.check(s.async().resultTtl())) {
      p.add(problem.path(), problem.message());
    }
  }

  private static void model(ModelSpec m, Problems.Scope p) {
    if (m.uri() != null) {
      String uri = m.uri();
      if (ModelUris.source(uri).isEmpty()) {
        p.add(
            "spec.model.uri",
            "must be " + ModelUris.EXPECTED + ", got \"" + UriRedaction.redact(uri) + "\"");
      }
    }
    if (!ModelSpec.PLATFORM_ONNX.equals(m.platform())) {
      p.add("spec.model.platform", "must be onnx, got \"" + m.platform() + "\"");
    }
    if (m.sha256() != null && !SHA256.matcher(m.sha256()).matches()) {
      p.add("spec.model.sha256", "must be 64 lowercase hex digits, got \"" + m.sha256() + "\"");
    }
  }

  private static void compute(ComputeSpec c, Problems.Scope p) {
    try {
      long millis = Quantities.cpuMillis(c.cpu());
      if (millis < 20) {
        p.add("spec.compute.cpu", "must be at least 20m, got \"" + c.cpu() + "\"");
      }
    } catch (IllegalArgumentException e) {
      p.add("spec.compute.cpu", e.getMessage());
    }
    if (c.mem() != null) {
      try {
        long bytes = Quantities.bytes(c.mem());
        if (bytes < 20L << 20) {
          p.add("spec.compute.mem", "must be at least 20Mi, got \"" + c.mem() + "\"");
        }
      } catch (IllegalArgumentException e) {
        p.add("spec.compute.mem", e.getMessage());
      }
    }
    atLeast(p, "spec.compute.gpu", c.gpu(), 0);
    atLeast(p, "spec.compute.inf", c.inf(), 0);
    if (c.gpu() > 0 && c.inf() > 0) {
      p.add(
          "spec.compute.inf",
          "cannot be combined with gpu (gpu " + c.gpu() + ", inf " + c.inf() + ")");
    }
  }

  /**
   * The bounds of the section itself are {@link AutoscalingRules}, which the autoscaler applies
   * too; here only what needs more than the section: the runtime's replica cap, the traffic limits
   * and the autoscaler tick.
   */
  private void autoscaling(AutoscalingSpec a, TrafficSpec t, Problems.Scope p) {
    for (SpecProblem problem : AutoscalingRules.check(values(a))) {
      p.add(problem.path(), problem.message());
    }
    runtimeCap(p, "spec.autoscaling.minReplicas", a.minReplicas());
    runtimeCap(p, "spec.autoscaling.maxReplicas", a.maxReplicas());
    runtimeCap(p, "spec.autoscaling.initReplicas", a.initReplicas());
    int capacity = t.maxConcurrency() + t.maxQueueLength();
    if (a.targetInFlight() > capacity && !Double.isInfinite(a.targetInFlight())) {
      p.add(
          "spec.autoscaling.targetInFlight",
          "must be <= traffic.maxConcurrency + traffic.maxQueueLength ("
              + capacity
              + "), got "
              + num(a.targetInFlight()));
    }
    Duration w = a.window();
    if (w.compareTo(autoscalerTick) < 0 || w.toNanos() % autoscalerTick.toNanos() != 0) {
      p.add(
          "spec.autoscaling.window",
          "must be a multiple of the autoscaler tick ("
              + Durations.format(autoscalerTick)
              + "), got "
              + Durations.format(w));
    }
  }

  private static AutoscalingValues values(AutoscalingSpec a) {
    return new AutoscalingValues(
        a.minReplicas(),
        a.maxReplicas(),
        a.initReplicas(),
        a.targetInFlight(),
        a.window(),
        a.upscaleStabilizationPeriod(),
        a.downscaleStabilizationPeriod(),
        a.maxUpscaleFactor(),
        a.maxDownscaleFactor(),
        a.upscaleTolerance(),
        a.downscaleTolerance(),
        a.overprovisioning(),
        Optional.of(new AutoscalingValues.Panic(a.panic().window(), a.panic().threshold())));
  }

  private static void rollout(RolloutSpec r, Problems.Scope p) {
    List<Integer> steps = r.steps();
    if (steps.isEmpty()) {
      p.add("spec.rollout.steps", "must not be empty; the last step must be 100");
    } else {
      int previous = 0;
      boolean ok = true;
      for (int step : steps) {
        ok &= step > previous && step <= 100;
        previous = step;
      }
      if (!ok || steps.getLast() != 100) {
        p.add(
            "spec.rollout.steps",
            "must be increasing percentages in 1..100 ending with 100, got " + steps);
      } else if (r.strategy() == RolloutStrategy.BlueGreen && steps.size() > 1) {
        p.add(
            "spec.rollout.steps",
            "must be [100] for strategy BlueGreen (use strategy Canary for steps), got " + steps);
      }
    }
    positive(p, "spec.rollout.stepInterval", r.stepInterval());
    atMost(p, "spec.rollout.stepInterval", r.stepInterval(), MAX_ROLLOUT_PERIOD);
    positive(p, "spec.rollout.readyTimeout", r.readyTimeout());
    atMost(p, "spec.rollout.readyTimeout", r.readyTimeout(), MAX_ROLLOUT_PERIOD);
    if (!(r.maxErrorRateIncrease() >= 0 && r.maxErrorRateIncrease() <= 100)) {
      p.add(
          "spec.rollout.maxErrorRateIncrease",
          "must be percentage points in 0..100, got " + num(r.maxErrorRateIncrease()));
    }
    if (r.minRequests() < 1) {
      p.add("spec.rollout.minRequests", "must be >= 1, got " + r.minRequests());
    }
  }

  private static void splitter(SplitterSpec s, Problems.Scope p) {
    List<SplitTarget> apis = s.apis();
    if (apis.isEmpty()) {
      p.add("spec.apis", "must list at least one API");
      return;
    }
    int sum = 0;
    int shadows = 0;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < apis.size(); i++) {
      SplitTarget t = apis.get(i);
      String path = "spec.apis[" + i + "]";
      between(p, path + ".weight", t.weight(), 0, 100);
      if (t.name() != null && !seen.add(t.name())) {
        p.add(path + ".name", "must be unique in the splitter, \"" + t.name() + "\" appears twice");
      }
      if (t.shadow()) {
        shadows++;
      } else {
        sum += t.weight();
      }
    }
    if (shadows > 1) {
      p.add("spec.apis", "must have at most one shadow API, got " + shadows);
    }
    if (sum != 100) {
      p.add("spec.apis", "weights of the non-shadow APIs must sum to 100, got " + sum);
    }
  }

  private static void atLeast(Problems.Scope p, String path, int value, int min) {
    if (value < min) {
      p.add(path, "must be >= " + min + ", got " + value);
    }
  }

  private static void atMost(Problems.Scope p, String path, int value, int max) {
    if (value > max) {
      p.add(path, "must be at most " + max + ", got " + value);
    }
  }

  private static void atMost(Problems.Scope p, String path, Duration value, Duration max) {
    if (value.compareTo(max) > 0) {
      p.add(path, "must be at most " + Durations.format(max) + ", got " + Durations.format(value));
    }
  }

  /** The runtime's cap per API, with the key that sets it (the absolute bound is the rules'). */
  private void runtimeCap(Problems.Scope p, String path, int value) {
    if (value <= AutoscalingRules.MAX_REPLICAS && cap.isPresent() && value > cap.get().perApi()) {
      ReplicaCap c = cap.get();
      p.add(
          path,
          "must be at most "
              + c.perApi()
              + " on the "
              + c.runtime()
              + " runtime (its cap per API, "
              + c.perApiKey()
              + "), got "
              + value);
    }
  }

  private static void between(Problems.Scope p, String path, int value, int min, int max) {
    if (value < min || value > max) {
      p.add(path, "must be between " + min + " and " + max + ", got " + value);
    }
  }

  private static void positive(Problems.Scope p, String path, Duration d) {
    if (d.isZero() || d.isNegative()) {
      p.add(path, "must be > 0, got " + Durations.format(d));
    }
  }

  static String num(double v) {
    return SpecNumbers.format(v);
  }
}
