package io.serval.operator.spec;

/** Spec texts shared by tests. */
public final class SpecFixtures {

  private SpecFixtures() {}

  public static final String MINILM =
      """
      apiVersion: serving.serval.io/v1alpha1
      kind: RealtimeApi
      metadata: {name: minilm}
      spec:
        model: {uri: "file:models/all-minilm-l6-v2-q.onnx", platform: onnx}
        predictor:
          workers: 1
          threadsPerWorker: 2
          batching: {maxBatchSize: 16, maxQueueDelay: 2ms, maxQueueSize: 256}
        compute: {cpu: "1", mem: 1Gi, gpu: 0, inf: 0, nodeGroups: []}
        traffic: {maxConcurrency: 8, maxQueueLength: 100, timeout: 10s}
        autoscaling:
          minReplicas: 1
          maxReplicas: 10
          initReplicas: 1
          targetInFlight: 8
          window: 60s
          upscaleStabilizationPeriod: 1m
          downscaleStabilizationPeriod: 5m
          maxUpscaleFactor: 1.5
          maxDownscaleFactor: 0.75
          upscaleTolerance: 0.05
          downscaleTolerance: 0.05
          overprovisioning: 0.0
          panic: {window: 6s, threshold: 2.0}
        rollout: {strategy: BlueGreen, steps: [100], stepInterval: 30s, readyTimeout: 10m}
      """;

  /** A minimal API named {@code name}, with {@code extra} appended under spec (indented 2). */
  public static String api(String name, String extraSpecYaml) {
    return """
        kind: RealtimeApi
        metadata: {name: %s}
        spec:
          model: {uri: "file:models/m.onnx"}
        %s
        """
        .formatted(name, extraSpecYaml.indent(2).stripTrailing());
  }

  public static String api(String name) {
    return api(name, "");
  }

  public static String splitter(String name, String apisYaml) {
    return """
        kind: TrafficSplitter
        metadata: {name: %s}
        spec:
          apis:
        %s
        """
        .formatted(name, apisYaml.indent(4).stripTrailing());
  }
}
