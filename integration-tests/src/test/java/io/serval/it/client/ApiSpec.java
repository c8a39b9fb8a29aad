package io.serval.it.client;

import io.serval.it.models.ModelFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds RealtimeApi and TrafficSplitter YAML for POST /v1/deploy. */
public final class ApiSpec {

  private final String name;
  private String modelUri;
  private int maxConcurrency = 4;
  private int maxQueueLength = 100;
  private String timeout = "10s";
  private int minReplicas = 1;
  private int maxReplicas = 1;
  private int initReplicas = 1;
  private String autoscalingExtra = "";
  private String rollout = "{strategy: BlueGreen}";
  private String predictorExtra = "";

  private ApiSpec(String name) {
    this.name = name;
  }

  public static ApiSpec api(String name) {
    return new ApiSpec(name);
  }

  public ApiSpec model(Path file) {
    this.modelUri = ModelFiles.uri(file);
    return this;
  }

  /** A model by URI as it stands in the spec ({@code s3://bucket/key}, {@code https://...}). */
  public ApiSpec modelUri(String uri) {
    this.modelUri = uri;
    return this;
  }

  public ApiSpec traffic(int maxConcurrency, int maxQueueLength, String timeout) {
    this.maxConcurrency = maxConcurrency;
    this.maxQueueLength = maxQueueLength;
    this.timeout = timeout;
    return this;
  }

  /** A fixed number of replicas (min = max = init): the autoscaler leaves it alone. */
  public ApiSpec replicas(int n) {
    return autoscaling(n, n, n, "");
  }

  /**
   * @param extra further autoscaling fields in YAML flow form, e.g. {@code "targetInFlight: 2,
   *     window: 4s"}
   */
  public ApiSpec autoscaling(int min, int max, int init, String extra) {
    this.minReplicas = min;
    this.maxReplicas = max;
    this.initReplicas = init;
    this.autoscalingExtra = extra;
    return this;
  }

  /** e.g. {@code "{strategy: Canary, steps: [25, 50, 100], stepInterval: 3s}"}. */
  public ApiSpec rollout(String flowYaml) {
    this.rollout = flowYaml;
    return this;
  }

  /** e.g. {@code "threadsPerWorker: 1"}. */
  public ApiSpec predictor(String flowFields) {
    this.predictorExtra = flowFields;
    return this;
  }

  public String yaml() {
    if (modelUri == null) {
      throw new IllegalStateException(name + ": no model");
    }
    return String.join(
        "\n",
        "apiVersion: serving.serval.io/v1alpha1",
        "kind: RealtimeApi",
        "metadata: {name: " + name + "}",
        "spec:",
        "  model: {uri: \"" + modelUri + "\", platform: onnx}",
        "  predictor: {workers: 1, threadsPerWorker: 1"
            + (predictorExtra.isEmpty() ? "" : ", " + predictorExtra)
            + "}",
        "  traffic: {maxConcurrency: "
            + maxConcurrency
            + ", maxQueueLength: "
            + maxQueueLength
            + ", timeout: "
            + timeout
            + "}",
        "  autoscaling: {minReplicas: "
            + minReplicas
            + ", maxReplicas: "
            + maxReplicas
            + ", initReplicas: "
            + initReplicas
            + (autoscalingExtra.isEmpty() ? "" : ", " + autoscalingExtra)
            + "}",
        "  rollout: " + rollout,
        "");
  }

  /** A TrafficSplitter; targets as (api, weight, shadow). */
  public static String splitter(String name, List<Target> targets) {
    List<String> lines = new ArrayList<>();
    lines.add("apiVersion: serving.serval.io/v1alpha1");
    lines.add("kind: TrafficSplitter");
    lines.add("metadata: {name: " + name + "}");
    lines.add("spec:");
    lines.add("  apis:");
    for (Target t : targets) {
      lines.add(
          "    - {name: " + t.api() + ", weight: " + t.weight() + ", shadow: " + t.shadow() + "}");
    }
    lines.add("");
    return String.join("\n", lines);
  }

  public record Target(String api, int weight, boolean shadow) {}

  /** Several resources in one deploy. */
  public static String documents(String... yamls) {
    return String.join("---\n", yamls);
  }
}
