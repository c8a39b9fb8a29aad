package io.serval.operator.spec;

import static io.serval.operator.spec.SpecFixtures.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecParserTest {

  private final SpecParser parser = new SpecParser();

  @Test
  void parsesTheDesignExample() {
    RealtimeApi api = (RealtimeApi) parser.parse(SpecFixtures.MINILM).getFirst();
    assertThat(api.name()).isEqualTo("minilm");
    assertThat(api.apiVersion()).isEqualTo(Resource.API_VERSION);
    RealtimeApiSpec s = api.spec();
    assertThat(s.model().uri()).isEqualTo("file:models/all-minilm-l6-v2-q.onnx");
    assertThat(s.predictor().threadsPerWorker()).isEqualTo(2);
    assertThat(s.predictor().batching().maxQueueDelay()).isEqualTo(Duration.ofMillis(2));
    assertThat(s.compute().cpu()).isEqualTo("1");
    assertThat(s.compute().mem()).isEqualTo("1Gi");
    assertThat(s.traffic().timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.autoscaling().maxReplicas()).isEqualTo(10);
    assertThat(s.autoscaling().downscaleStabilizationPeriod()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.autoscaling().panic().window()).isEqualTo(Duration.ofSeconds(6));
    assertThat(s.rollout().strategy()).isEqualTo(RolloutStrategy.BlueGreen);
  }

  @Test
  void fillsCortexDefaults() {
    RealtimeApi api = (RealtimeApi) parser.parse(api("m")).getFirst();
    RealtimeApiSpec s = api.spec();
    assertThat(s.model().platform()).isEqualTo("onnx");
    assertThat(s.predictor())
        .isEqualTo(new PredictorSpec(1, 1, new BatchingSpec(1, Duration.ofMillis(2), 256)));
    assertThat(s.compute().cpu()).isEqualTo("200m");
    assertThat(s.compute().mem()).isNull();
    assertThat(s.traffic()).isEqualTo(new TrafficSpec(1, 100, Duration.ofSeconds(30)));
    AutoscalingSpec a = s.autoscaling();
    assertThat(a.minReplicas()).isEqualTo(1);
    assertThat(a.maxReplicas()).isEqualTo(100);
    assertThat(a.initReplicas()).isEqualTo(1);
    assertThat(a.targetInFlight()).isEqualTo(1.0);
    assertThat(a.window()).isEqualTo(Duration.ofSeconds(60));
    assertThat(a.upscaleStabilizationPeriod()).isEqualTo(Duration.ofMinutes(1));
    assertThat(a.downscaleStabilizationPeriod()).isEqualTo(Duration.ofMinutes(5));
    assertThat(a.maxUpscaleFactor()).isEqualTo(1.5);
    assertThat(a.maxDownscaleFactor()).isEqualTo(0.75);
    assertThat(a.upscaleTolerance()).isEqualTo(0.05);
    assertThat(a.downscaleTolerance()).isEqualTo(0.05);
    assertThat(a.overprovisioning()).isEqualTo(0.0);
    assertThat(s.rollout().steps()).containsExactly(100);
    assertThat(s.rollout().readyTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.async().resultTtl()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void readsTheAsyncResultTtl() {
    RealtimeApi api = (RealtimeApi) parser.parse(api("m", "async: {resultTtl: 90m}")).getFirst();
    assertThat(api.spec().async().resultTtl()).isEqualTo(Duration.ofMinutes(90));
    RealtimeApi empty = (RealtimeApi) parser.parse(api("m", "async: {}")).getFirst();
    assertThat(empty.spec().async().resultTtl()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void targetInFlightDefaultsToMaxConcurrencyAndInitToMin() {
    RealtimeApi api =
        (RealtimeApi)
            parser
                .parse(
                    api(
                        "m",
                        "traffic: {maxConcurrency: 12}\nautoscaling: {minReplicas: 3, maxReplicas: 5}"))
                .getFirst();
    assertThat(api.spec().autoscaling().targetInFlight()).isEqualTo(12.0);
    assertThat(api.spec().autoscaling().initReplicas()).isEqualTo(3);
  }

  @Test
  void canaryDefaultsToThreeSteps() {
    RealtimeApi api =
        (RealtimeApi) parser.parse(api("m", "rollout: {strategy: Canary}")).getFirst();
    assertThat(api.spec().rollout().steps()).containsExactly(10, 50, 100);
  }

  @Test
  void parsesSeveralDocumentsAndJson() {
    String yaml =
        api("a")
            + "---\n"
            + api("b")
            + "---\n"
            + SpecFixtures.splitter("s", "- {name: a, weight: 60}\n- {name: b, weight: 40}")
            + "---\n";
    List<Resource> resources = parser.parse(yaml);
    assertThat(resources).extracting(Resource::name).containsExactly("a", "b", "s");
    assertThat(resources.get(2)).isInstanceOf(TrafficSplitter.class);

    String json =
        """
        [{"kind":"RealtimeApi","metadata":{"name":"j"},"spec":{"model":{"uri":"https://x/m.onnx"}}}]
        """;
    assertThat(parser.parse(json)).extracting(Resource::name).containsExactly("j");
  }

  @Test
  void refusesEverythingAndListsEveryProblem() {
    String yaml =
        api("good")
            + "---\n"
            + api(
                "bad", "autoscaling: {minReplicas: 1, maxReplicas: 0}\npredictor: {batchSize: 4}");
    assertThatThrownBy(() -> parser.parse(yaml))
        .isInstanceOfSatisfying(
            SpecException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "bad: spec.autoscaling.maxReplicas: must be >= minReplicas (1), got 0",
                        "bad: spec.autoscaling.initReplicas: must be between minReplicas (1) and"
                            + " maxReplicas (0), got 1",
                        "bad: spec.predictor.batchSize: unknown field; known fields: workers,"
                            + " threadsPerWorker, batching, warmup"));
  }

  @Test
  void reportsUnknownFieldsAtEveryLevel() {
    assertProblem(
        api("m", "traffic: {maxConcurency: 4}"),
        "m: spec.traffic.maxConcurency: unknown field; known fields: maxConcurrency,"
            + " maxQueueLength, timeout");
    assertProblem(
        api("m") + "status: {}\n",
        "m: status: unknown field; known fields: apiVersion, kind, metadata, spec");
    assertProblem(
        api("m", "replicas: 3"),
        "m: spec.replicas: unknown field; known fields: model, predictor, compute, traffic,"
            + " autoscaling, rollout, async");
  }

  @Test
  void reportsWrongTypesWithPath() {
    assertProblem(
        api("m", "traffic: {maxConcurrency: lots}"),
        "m: spec.traffic.maxConcurrency: must be an integer, got \"lots\"");
    assertProblem(
        api("m", "autoscaling: {window: 60}"),
        "m: spec.autoscaling.window: must be a duration like 2ms, 10s, 1m or 1h, got 60");
    assertProblem(
        api("m", "traffic: {timeout: soon}"),
        "m: spec.traffic.timeout: must be a duration like 2ms, 10s, 1m or 1h, got \"soon\"");
  }

  @Test
  void reportsMissingRequiredFields() {
    assertProblem("kind: RealtimeApi\nmetadata: {name: m}\nspec: {}\n", "m: spec.model: required");
    assertProblem(
        "kind: RealtimeApi\nmetadata: {name: m}\nspec: {model: {platform: onnx}}\n",
        "m: spec.model.uri: required");
    assertProblem(
        "kind: RealtimeApi\nspec: {model: {uri: 'file:m.onnx'}}\n",
        "document 1: metadata: required");
    assertProblem("metadata: {name: m}\nspec: {}\n", "m: kind: required");
  }

  @Test
  void refusesUnknownKindAndApiVersion() {
    assertProblem(
        "kind: BatchApi\nmetadata: {name: m}\nspec: {}\n",
        "m: kind: must be one of RealtimeApi, TrafficSplitter, got \"BatchApi\"");
    assertProblem(
        "apiVersion: v1\n" + api("m"),
        "m: apiVersion: must be serving.serval.io/v1alpha1, got \"v1\"");
  }

  @Test
  void refusesUnparseableText() {
    assertThatThrownBy(() -> parser.parse("kind: [unclosed"))
        .isInstanceOf(SpecException.class)
        .hasMessageStartingWith("cannot parse YAML/JSON:");
    assertThatThrownBy(() -> parser.parse(""))
        .hasMessage("no resources found: expected a RealtimeApi or TrafficSplitter");
  }

  @Test
  void jacksonRoundTripsTheModel() throws Exception {
    ObjectMapper json = new ObjectMapper();
    RealtimeApi api = (RealtimeApi) parser.parse(SpecFixtures.MINILM).getFirst();
    String text = json.writeValueAsString(api);
    assertThat(text).contains("\"maxQueueDelay\":\"2ms\"").contains("\"window\":\"1m\"");
    assertThat(json.readValue(text, RealtimeApi.class)).isEqualTo(api);
    // what the operator prints back parses to the same resource
    assertThat(parser.parse(text)).containsExactly(api);
  }

  @Test
  void deployExamplesAreValid() throws Exception {
    java.nio.file.Path examples = java.nio.file.Path.of("..", "deploy", "examples");
    List<Resource> minilm =
        parser.parse(java.nio.file.Files.readString(examples.resolve("minilm.yaml")));
    assertThat(minilm).singleElement().isEqualTo(parser.parse(SpecFixtures.MINILM).getFirst());
    assertThat(((RealtimeApi) minilm.getFirst()).spec().model().uri())
        .isEqualTo("file:models/all-minilm-l6-v2-q.onnx");
    List<Resource> split =
        parser.parse(java.nio.file.Files.readString(examples.resolve("splitter.yaml")));
    assertThat(split)
        .extracting(Resource::name)
        .containsExactly("minilm-q", "minilm-full", "minilm-canary", "minilm-split");
  }

  private void assertProblem(String yaml, String expected) {
    assertThatThrownBy(() -> parser.parse(yaml))
        .isInstanceOfSatisfying(
            SpecException.class, e -> assertThat(e.problems()).contains(expected));
  }
}
