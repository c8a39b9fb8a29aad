package io.serval.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.serval.operator.spec.SpecException;
import io.serval.operator.spec.SpecParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CRDs generated from the Java spec model document every spec field and refuse what the spec
 * rules refuse, so that the API server itself turns a bad custom resource away (kubectl apply
 * fails) instead of the operator finding out later; their bounds say the same as the spec validator
 * and spec-rules, the one owner of spec validation.
 */
class CrdSchemaTest {

  private static JsonNode crd(String plural) {
    return Helm.parse(read(Helm.CHART.resolve("crds/" + plural + ".serving.serval.io-v1.yml")))
        .getFirst();
  }

  private static JsonNode schema(String plural) {
    return crd(plural).path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** What the API server would say of a custom resource: empty when it is accepted. */
  static List<String> apiServerProblems(JsonNode cr) {
    String plural =
        switch (cr.path("kind").asText()) {
          case "RealtimeApi" -> "realtimeapis";
          case "TrafficSplitter" -> "trafficsplitters";
          default -> throw new AssertionError("not a Serval kind: " + cr.path("kind"));
        };
    List<String> out = new ArrayList<>();
    if (!cr.path("apiVersion").asText().equals("serving.serval.io/v1alpha1")) {
      out.add("apiVersion: not served: " + cr.path("apiVersion").asText());
    }
    ObjectNode body = cr.deepCopy();
    body.remove(List.of("apiVersion", "kind", "metadata"));
    out.addAll(OpenApiSchema.violations(schema(plural), body, ""));
    return out;
  }

  private static boolean parserAccepts(String yaml) {
    try {
      new SpecParser().parse(yaml);
      return true;
    } catch (SpecException e) {
      return false;
    }
  }

  private static String api(String section) {
    String spec =
        section.startsWith("model:")
            ? section
            : "model: {uri: \"file:models/all-minilm-l6-v2-q.onnx\"}\n  " + section;
    return """
        apiVersion: serving.serval.io/v1alpha1
        kind: RealtimeApi
        metadata: {name: m}
        spec:
          %s
        """
        .formatted(spec);
  }

  @Test
  void everyExampleIsAcceptedByItsCrd() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(Helm.DEPLOY.resolve("examples"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    int checked = 0;
    for (Path f : files) {
      for (JsonNode cr : Helm.parse(read(f))) {
        assertThat(apiServerProblems(cr)).as(f.getFileName().toString()).isEmpty();
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(5);
  }

  /** Each line: a spec section; the API server and the operator's parser agree on it. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "autoscaling: {minReplicas: -1}                              | false",
        "autoscaling: {minReplicas: 0}                               | true",
        "autoscaling: {minReplicas: 1000, maxReplicas: 1000}         | true",
        "autoscaling: {maxReplicas: 1001}                            | false",
        "autoscaling: {minReplicas: 0, maxReplicas: 0}               | false",
        "autoscaling: {targetInFlight: 0}                            | false",
        "autoscaling: {maxUpscaleFactor: 1}                          | false",
        "autoscaling: {maxUpscaleFactor: 1.01}                       | true",
        "autoscaling: {maxDownscaleFactor: 1}                        | false",
        "autoscaling: {maxDownscaleFactor: 0}                        | true",
        "autoscaling: {upscaleTolerance: -0.1}                       | false",
        "autoscaling: {downscaleTolerance: 1}                        | false",
        "autoscaling: {overprovisioning: 1}                          | false",
        "autoscaling: {overprovisioning: 0.99}                       | true",
        "autoscaling: {panic: {threshold: 1}}                        | false",
        "autoscaling: {panic: {threshold: 1.5}}                      | true",
        "autoscaling: {window: 1 minute}                             | false",
        "autoscaling: {window: 1m30s}                                | true",
        "predictor: {workers: 0}                                     | false",
        "predictor: {workers: 64}                                    | true",
        "predictor: {workers: 65}                                    | false",
        "predictor: {threadsPerWorker: 65}                           | false",
        "predictor: {batching: {maxBatchSize: 4096}}                 | true",
        "predictor: {batching: {maxBatchSize: 4097}}                 | false",
        "predictor: {batching: {maxQueueSize: 100000}}               | true",
        "predictor: {batching: {maxQueueSize: 100001}}               | false",
        "predictor: {batching: {maxQueueDelay: 5x}}                  | false",
        "traffic: {maxConcurrency: 30000, maxQueueLength: 30000}     | true",
        "traffic: {maxConcurrency: 30001}                            | false",
        "traffic: {maxQueueLength: 0}                                | false",
        "traffic: {timeout: 1.5s}                                    | true",
        "compute: {gpu: -1}                                          | false",
        "compute: {inf: -1}                                          | false",
        "rollout: {strategy: Linear}                                 | false",
        "rollout: {strategy: Canary, steps: [10, 100]}               | true",
        "rollout: {strategy: Canary, steps: [0, 100]}                | false",
        "rollout: {strategy: Canary, steps: [10, 101]}               | false",
        "rollout: {maxErrorRateIncrease: 100}                        | true",
        "rollout: {maxErrorRateIncrease: 101}                        | false",
        "rollout: {minRequests: 0}                                   | false",
        "model: {uri: \"file:m.onnx\", platform: tensorflow}         | false",
        "model: {uri: \"file:m.onnx\", sha256: ABC}                  | false",
        "model: {platform: onnx}                                     | false",
      })
  void theApiServerRefusesWhatTheSpecRulesRefuse(String section, boolean valid) {
    String yaml = api(section);
    assertThat(parserAccepts(yaml)).as("the operator's parser on %s", section).isEqualTo(valid);
    List<String> problems = apiServerProblems(Helm.parse(yaml).getFirst());
    assertThat(problems.isEmpty()).as("the CRD on %s: %s", section, problems).isEqualTo(valid);
  }

  @Test
  void unknownFieldsAndWrongTypesAreRefused() {
    assertThat(apiServerProblems(Helm.parse(api("autoscaling: {minReplica: 1}")).getFirst()))
        .containsExactly(".spec.autoscaling.minReplica: unknown field");
    assertThat(apiServerProblems(Helm.parse(api("traffic: {maxConcurrency: many}")).getFirst()))
        .containsExactly(".spec.traffic.maxConcurrency: must be an integer");
    String splitter =
        """
        apiVersion: serving.serval.io/v1alpha1
        kind: TrafficSplitter
        metadata: {name: s}
        spec:
          apis: [{name: a, weight: 101}, {weight: 0}]
        """;
    assertThat(apiServerProblems(Helm.parse(splitter).getFirst()))
        .containsExactlyInAnyOrder(
            ".spec.apis[0].weight: must be <= 100.0", ".spec.apis[1].name: required");
  }

  @Test
  void everySpecFieldIsDocumentedForKubectlExplain() {
    for (String plural : List.of("realtimeapis", "trafficsplitters")) {
      List<String> undocumented = new ArrayList<>();
      JsonNode spec = schema(plural).path("properties").path("spec");
      undocumented(spec, plural + ".spec", undocumented);
      assertThat(undocumented).as(plural).isEmpty();
    }
  }

  private static void undocumented(JsonNode schema, String path, List<String> out) {
    JsonNode props = schema.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String p = path + "." + f.getKey();
      if (f.getValue().path("description").asText("").isBlank()) {
        out.add(p);
      }
      undocumented(f.getValue(), p, out);
      undocumented(f.getValue().path("items"), p + "[]", out);
    }
  }

  @Test
  void printerColumnsShowTheEndpointAndConditionsCarryTransitionTimeAndGeneration() {
    for (String plural : List.of("realtimeapis", "trafficsplitters")) {
      JsonNode version = crd(plural).path("spec").path("versions").get(0);
      List<String> columns = new ArrayList<>();
      version
          .path("additionalPrinterColumns")
          .forEach(c -> columns.add(c.path("name").asText() + "=" + c.path("jsonPath").asText()));
      assertThat(columns).as(plural).contains("Endpoint=.status.endpoint");
      JsonNode condition =
          version
              .path("schema")
              .path("openAPIV3Schema")
              .path("properties")
              .path("status")
              .path("properties")
              .path("conditions")
              .path("items")
              .path("properties");
      assertThat(condition.has("lastTransitionTime")).as(plural).isTrue();
      assertThat(condition.path("observedGeneration").path("type").asText()).isEqualTo("integer");
    }
  }
}
