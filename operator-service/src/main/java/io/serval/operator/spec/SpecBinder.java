package io.serval.operator.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.serval.specrules.AsyncRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns one parsed document into a {@link Resource} with every default filled in. Wrong types,
 * missing required fields and unknown fields go to the problem scope; a wrong value is replaced by
 * its default so that the remaining fields are still checked.
 */
final class SpecBinder {

  private SpecBinder() {}

  static Optional<Resource> bind(JsonNode doc, Problems.Scope problems) {
    return bind(doc, problems, SpecDefaults.MAX_REPLICAS);
  }

  /**
   * @param defaultMaxReplicas maxReplicas of a spec that does not set it (lower on a runtime with a
   *     replica cap)
   */
  static Optional<Resource> bind(JsonNode doc, Problems.Scope problems, int defaultMaxReplicas) {
    Optional<ObjectReader> top = ObjectReader.of(doc, "", problems);
    if (top.isEmpty()) {
      return Optional.empty();
    }
    ObjectReader r = top.get();
    Optional<String> apiVersion = r.string("apiVersion");
    Optional<String> kind = r.string("kind");
    String name = r.object("metadata").map(SpecBinder::metadataName).orElse(null);
    if (name != null) {
      problems.relabel(name);
    } else if (!r.has("metadata")) {
      r.required("metadata");
    }
    apiVersion
        .filter(v -> !v.equals(Resource.API_VERSION))
        .ifPresent(
            v ->
                problems.add(
                    "apiVersion", "must be " + Resource.API_VERSION + ", got \"" + v + "\""));
    Optional<ObjectReader> spec = r.object("spec");
    Resource result = null;
    if (kind.isEmpty()) {
      r.required("kind");
    } else if (kind.get().equals(RealtimeApi.KIND) || kind.get().equals(TrafficSplitter.KIND)) {
      if (spec.isEmpty()) {
        if (!r.has("spec")) {
          r.required("spec");
        }
      } else if (kind.get().equals(RealtimeApi.KIND)) {
        result = new RealtimeApi(new Metadata(name), realtimeSpec(spec.get(), defaultMaxReplicas));
      } else {
        result = new TrafficSplitter(new Metadata(name), splitterSpec(spec.get()));
      }
    } else {
      problems.add(
          "kind",
          "must be one of "
              + RealtimeApi.KIND
              + ", "
              + TrafficSplitter.KIND
              + ", got \""
              + kind.get()
              + "\"");
    }
    r.finish();
    return Optional.ofNullable(result);
  }

  private static String metadataName(ObjectReader m) {
    if (!m.has("name")) {
      m.required("name");
    }
    String name = m.string("name").orElse(null);
    m.finish();
    return name;
  }

  private static RealtimeApiSpec realtimeSpec(ObjectReader s, int defaultMaxReplicas) {
    ModelSpec model = s.object("model").map(SpecBinder::model).orElse(null);
    if (model == null) {
      if (!s.has("model")) {
        s.required("model");
      }
      model = new ModelSpec(null, ModelSpec.PLATFORM_ONNX, null);
    }
    PredictorSpec predictor = predictor(s.object("predictor").orElse(null));
    ComputeSpec compute = compute(s.object("compute").orElse(null));
    TrafficSpec traffic = traffic(s.object("traffic").orElse(null));
    AutoscalingSpec autoscaling =
        autoscaling(
            s.object("autoscaling").orElse(null), traffic.maxConcurrency(), defaultMaxReplicas);
    RolloutSpec rollout = rollout(s.object("rollout").orElse(null));
    AsyncSpec async = async(s.object("async").orElse(null));
    s.finish();
    return new RealtimeApiSpec(model, predictor, compute, traffic, autoscaling, rollout, async);
  }

  private static ModelSpec model(ObjectReader m) {
    if (!m.has("uri")) {
      m.required("uri");
    }
    String uri = m.string("uri").orElse(null);
    String platform = m.string("platform").orElse(ModelSpec.PLATFORM_ONNX);
    String sha256 = m.string("sha256").orElse(null);
    m.finish();
    return new ModelSpec(uri, platform, sha256);
  }

  private static PredictorSpec predictor(ObjectReader p) {
    if (p == null) {
      return new PredictorSpec(
          SpecDefaults.WORKERS, SpecDefaults.THREADS_PER_WORKER, batching(null));
    }
    int workers = p.integer("workers").orElse(SpecDefaults.WORKERS);
    int threads = p.integer("threadsPerWorker").orElse(SpecDefaults.THREADS_PER_WORKER);
    BatchingSpec batching = batching(p.object("batching").orElse(null));
    JsonNode warmup = p.raw("warmup").orElse(null);
    p.finish();
    return new PredictorSpec(workers, threads, batching, warmup);
  }

  private static BatchingSpec batching(ObjectReader b) {
    if (b == null) {
      return new BatchingSpec(
          SpecDefaults.MAX_BATCH_SIZE, SpecDefaults.MAX_QUEUE_DELAY, SpecDefaults.MAX_QUEUE_SIZE);
    }
    BatchingSpec result =
        new BatchingSpec(
            b.integer("maxBatchSize").orElse(SpecDefaults.MAX_BATCH_SIZE),
            b.duration("maxQueueDelay").orElse(SpecDefaults.MAX_QUEUE_DELAY),
            b.integer("maxQueueSize").orElse(SpecDefaults.MAX_QUEUE_SIZE));
    b.finish();
    return result;
  }

  private static ComputeSpec compute(ObjectReader c) {
    if (c == null) {
      return new ComputeSpec(SpecDefaults.CPU, null, SpecDefaults.GPU, SpecDefaults.INF, List.of());
    }
    String cpu = c.scalarText("cpu").orElse(SpecDefaults.CPU);
    String mem = c.scalarText("mem").orElse(null);
    int gpu = c.integer("gpu").orElse(SpecDefaults.GPU);
    int inf = c.integer("inf").orElse(SpecDefaults.INF);
    List<String> groups = new ArrayList<>();
    List<JsonNode> items = c.list("nodeGroups").orElse(List.of());
    for (int i = 0; i < items.size(); i++) {
      JsonNode g = items.get(i);
      if (g.isTextual()) {
        groups.add(g.asText());
      } else {
        c.problems()
            .add(
                c.path("nodeGroups") + "[" + i + "]",
                "must be a string, got " + ObjectReader.show(g));
      }
    }
    c.finish();
    return new ComputeSpec(cpu, mem, gpu, inf, groups);
  }

  private static TrafficSpec traffic(ObjectReader t) {
    if (t == null) {
      return new TrafficSpec(
          SpecDefaults.MAX_CONCURRENCY, SpecDefaults.MAX_QUEUE_LENGTH, SpecDefaults.TIMEOUT);
    }
    TrafficSpec result =
        new TrafficSpec(
            t.integer("maxConcurrency").orElse(SpecDefaults.MAX_CONCURRENCY),
            t.integer("maxQueueLength").orElse(SpecDefaults.MAX_QUEUE_LENGTH),
            t.duration("timeout").orElse(SpecDefaults.TIMEOUT));
    t.finish();
    return result;
  }

  private static AutoscalingSpec autoscaling(
      ObjectReader a, int maxConcurrency, int defaultMaxReplicas) {
    if (a == null) {
      return new AutoscalingSpec(
          SpecDefaults.MIN_REPLICAS,
          defaultMaxReplicas,
          SpecDefaults.MIN_REPLICAS,
          maxConcurrency,
          SpecDefaults.WINDOW,
          SpecDefaults.UPSCALE_STABILIZATION,
          SpecDefaults.DOWNSCALE_STABILIZATION,
          SpecDefaults.MAX_UPSCALE_FACTOR,
          SpecDefaults.MAX_DOWNSCALE_FACTOR,
          SpecDefaults.UPSCALE_TOLERANCE,
          SpecDefaults.DOWNSCALE_TOLERANCE,
          SpecDefaults.OVERPROVISIONING,
          new PanicSpec(SpecDefaults.PANIC_WINDOW, SpecDefaults.PANIC_THRESHOLD));
    }
    int min = a.integer("minReplicas").orElse(SpecDefaults.MIN_REPLICAS);
    int max = a.integer("maxReplicas").orElse(defaultMaxReplicas);
    int init = a.integer("initReplicas").orElse(min);
    double target = a.number("targetInFlight").orElse((double) maxConcurrency);
    AutoscalingSpec result =
        new AutoscalingSpec(
            min,
            max,
            init,
            target,
            a.duration("window").orElse(SpecDefaults.WINDOW),
            a.duration("upscaleStabilizationPeriod").orElse(SpecDefaults.UPSCALE_STABILIZATION),
            a.duration("downscaleStabilizationPeriod").orElse(SpecDefaults.DOWNSCALE_STABILIZATION),
            a.number("maxUpscaleFactor").orElse(SpecDefaults.MAX_UPSCALE_FACTOR),
            a.number("maxDownscaleFactor").orElse(SpecDefaults.MAX_DOWNSCALE_FACTOR),
            a.number("upscaleTolerance").orElse(SpecDefaults.UPSCALE_TOLERANCE),
            a.number("downscaleTolerance").orElse(SpecDefaults.DOWNSCALE_TOLERANCE),
            a.number("overprovisioning").orElse(SpecDefaults.OVERPROVISIONING),
            panic(a.object("panic").orElse(null)));
    a.finish();
    return result;
  }

  private static PanicSpec panic(ObjectReader p) {
    if (p == null) {
      return new PanicSpec(SpecDefaults.PANIC_WINDOW, SpecDefaults.PANIC_THRESHOLD);
    }
    PanicSpec result =
        new PanicSpec(
            p.duration("window").orElse(SpecDefaults.PANIC_WINDOW),
            p.number("threshold").orElse(SpecDefaults.PANIC_THRESHOLD));
    p.finish();
    return result;
  }

  private static AsyncSpec async(ObjectReader a) {
    if (a == null) {
      return AsyncSpec.defaults();
    }
    AsyncSpec result = new AsyncSpec(a.duration("resultTtl").orElse(AsyncRules.DEFAULT_RESULT_TTL));
    a.finish();
    return result;
  }

  private static RolloutSpec rollout(ObjectReader r) {
    if (r == null) {
      return new RolloutSpec(
          SpecDefaults.STRATEGY,
          SpecDefaults.BLUE_GREEN_STEPS,
          SpecDefaults.STEP_INTERVAL,
          SpecDefaults.READY_TIMEOUT,
          SpecDefaults.MAX_ERROR_RATE_INCREASE,
          SpecDefaults.MIN_REQUESTS);
    }
    RolloutStrategy strategy = SpecDefaults.STRATEGY;
    Optional<String> s = r.string("strategy");
    if (s.isPresent()) {
      try {
        strategy = RolloutStrategy.valueOf(s.get());
      } catch (IllegalArgumentException e) {
        r.problems()
            .add(r.path("strategy"), "must be one of BlueGreen, Canary, got \"" + s.get() + "\"");
      }
    }
    List<Integer> steps = new ArrayList<>();
    Optional<List<JsonNode>> given = r.list("steps");
    if (given.isPresent()) {
      List<JsonNode> items = given.get();
      for (int i = 0; i < items.size(); i++) {
        JsonNode n = items.get(i);
        if (n.isIntegralNumber() && n.canConvertToInt()) {
          steps.add(n.intValue());
        } else {
          r.problems()
              .add(
                  r.path("steps") + "[" + i + "]",
                  "must be an integer, got " + ObjectReader.show(n));
        }
      }
    } else {
      steps.addAll(
          strategy == RolloutStrategy.Canary
              ? SpecDefaults.CANARY_STEPS
              : SpecDefaults.BLUE_GREEN_STEPS);
    }
    RolloutSpec result =
        new RolloutSpec(
            strategy,
            steps,
            r.duration("stepInterval").orElse(SpecDefaults.STEP_INTERVAL),
            r.duration("readyTimeout").orElse(SpecDefaults.READY_TIMEOUT),
            r.number("maxErrorRateIncrease").orElse(SpecDefaults.MAX_ERROR_RATE_INCREASE),
            r.integer("minRequests").orElse(SpecDefaults.MIN_REQUESTS));
    r.finish();
    return result;
  }

  private static SplitterSpec splitterSpec(ObjectReader s) {
    List<SplitTarget> targets = new ArrayList<>();
    if (!s.has("apis")) {
      s.required("apis");
    }
    Optional<List<JsonNode>> apis = s.list("apis");
    if (apis.isPresent()) {
      List<JsonNode> items = apis.get();
      for (int i = 0; i < items.size(); i++) {
        String path = s.path("apis") + "[" + i + "]";
        Optional<ObjectReader> t = ObjectReader.of(items.get(i), path, s.problems());
        if (t.isEmpty()) {
          continue;
        }
        ObjectReader tr = t.get();
        if (!tr.has("name")) {
          tr.required("name");
        }
        if (!tr.has("weight")) {
          tr.required("weight");
        }
        String name = tr.string("name").orElse(null);
        Integer weight = tr.integer("weight").orElse(null);
        boolean shadow = tr.bool("shadow").orElse(false);
        tr.finish();
        targets.add(new SplitTarget(name, weight == null ? 0 : weight, shadow));
      }
    }
    s.finish();
    return new SplitterSpec(targets);
  }
}
