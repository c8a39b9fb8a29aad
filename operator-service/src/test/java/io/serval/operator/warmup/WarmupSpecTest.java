package io.serval.operator.warmup;

import static io.serval.operator.spec.SpecFixtures.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.serval.operator.control.DeployPlanner;
import io.serval.operator.revision.RevisionId;
import io.serval.operator.runtime.kubernetes.desired.PodSettings;
import io.serval.operator.runtime.kubernetes.desired.PredictorEnv;
import io.serval.operator.runtime.kubernetes.desired.RevisionRef;
import io.serval.operator.runtime.local.LocalSettings;
import io.serval.operator.runtime.local.PredictorLaunch;
import io.serval.operator.runtime.local.RestartBackoff;
import io.serval.operator.spec.RealtimeApi;
import io.serval.operator.spec.SpecException;
import io.serval.operator.spec.SpecParser;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.RevisionRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * spec.predictor.warmup: parsed as an inline V2 request, checked at deploy time under its field
 * path, part of the revision, and passed to the replicas of both runtimes.
 */
class WarmupSpecTest {

  private final SpecParser parser = new SpecParser();

  static final String SAMPLE =
      "predictor:\n"
          + "  warmup:\n"
          + "    inputs:\n"
          + "      - {name: x, datatype: INT64, shape: [1, 2], data: [7, 3]}\n";

  private RealtimeApi parse(String yaml) {
    return (RealtimeApi) parser.parse(yaml).getFirst();
  }

  private String predictorSetting(RealtimeApi api) {
    return new String(
        Base64.getDecoder()
            .decode(
                io.serval.operator.spec.WarmupSample.predictorSetting(
                    api.spec().predictor().warmup())),
        StandardCharsets.UTF_8);
  }

  @Test
  void anInlineSampleIsParsedAndBecomesTheReplicasWarmUpRequest() {
    RealtimeApi api = parse(api("mod", SAMPLE));
    assertThat(api.spec().predictor().warmup().get("inputs").get(0).get("name").asText())
        .isEqualTo("x");
    assertThat(predictorSetting(api))
        .isEqualTo(
            "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT64\",\"shape\":[1,2],\"data\":[7,3]}]}");
  }

  @Test
  void aBadSampleIsRefusedAtDeployTimeWithItsFieldPath() {
    assertProblem(
        api("mod", "predictor: {warmup: [1, 2]}"),
        "mod: spec.predictor.warmup: must be a V2 inference request (a mapping with inputs), got a"
            + " list");
    assertProblemContaining(
        api("mod", "predictor: {warmup: {inputs: []}}"),
        "mod: spec.predictor.warmup: is not a valid V2 inference request: ");
    assertProblemContaining(
        api(
            "mod",
            "predictor: {warmup: {inputs: [{name: x, datatype: INT64, shape: [1, 3], data: [1,"
                + " 2]}]}}"),
        "mod: spec.predictor.warmup: is not a valid V2 inference request: ");
    assertProblemContaining(
        api(
            "mod",
            "predictor: {warmup: {inputs: [{name: x, datatype: WORDS, shape: [1], data: [1]}]}}"),
        "mod: spec.predictor.warmup: is not a valid V2 inference request: ");
    String huge = "0, ".repeat(40_000) + "0";
    assertProblemContaining(
        api(
            "mod",
            "predictor: {warmup: {inputs: [{name: x, datatype: INT64, shape: [40001], data: ["
                + huge
                + "]}]}}"),
        "mod: spec.predictor.warmup: must be at most 64 KiB as JSON (one sample request), got");
  }

  @Test
  void theSampleIsPartOfTheRevisionButItsAbsenceChangesNoRevisionId() {
    RealtimeApi without = parse(api("mod"));
    RealtimeApi with = parse(api("mod", SAMPLE));
    assertThat(RevisionId.of(with.spec())).isNotEqualTo(RevisionId.of(without.spec()));
    // The id of a spec without a sample is what it was before the field existed.
    assertThat(RevisionId.of(without.spec()))
        .isEqualTo(RevisionId.of(parse(api("mod", "predictor: {workers: 1}")).spec()));
    assertThat(
            RevisionId.of(
                without
                    .spec()
                    .withRevisionSections(
                        without.spec().model(),
                        new io.serval.operator.spec.PredictorSpec(
                            without.spec().predictor().workers(),
                            without.spec().predictor().threadsPerWorker(),
                            without.spec().predictor().batching()),
                        without.spec().compute())))
        .isEqualTo(RevisionId.of(without.spec()));
  }

  @Test
  void bothRuntimesPassTheSampleToTheirReplicas() {
    ApiRecord a =
        new DeployPlanner(true)
            .plan(parser.parse(api("mod", SAMPLE)), Map.of(), Map.of(), Instant.now())
            .getFirst()
            .api();
    RevisionRecord revision = a.history().getFirst();
    String expected =
        io.serval.operator.spec.WarmupSample.predictorSetting(revision.predictor().warmup());
    LocalSettings s =
        new LocalSettings(
            Path.of("/opt/predictor.jar"),
            "/jdk/bin/java",
            List.of(),
            Optional.empty(),
            Path.of("."),
            "127.0.0.1",
            Duration.ofMillis(500),
            new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30)),
            Duration.ofSeconds(60),
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            Duration.ofSeconds(1),
            true);
    PredictorLaunch l = PredictorLaunch.of(s, "mod", revision, "mod-x-0", 8000, 8001);
    assertThat(l.command()).contains("-Dserval.predictor.warmup-request=" + expected);
    assertThat(l.environment()).containsEntry("SERVAL_PREDICTOR_WARMUP_REQUEST", expected);

    PodSettings pod =
        new PodSettings(
            "ghcr.io/serval/predictor:0.1.0",
            "IfNotPresent",
            Optional.empty(),
            8000,
            8001,
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            "serval.io/node-group",
            Map.of());
    List<EnvVar> env = PredictorEnv.of(new RevisionRef("mod", revision.id()), revision, pod);
    assertThat(env)
        .filteredOn(e -> e.getName().equals("SERVAL_PREDICTOR_WARMUP_REQUEST"))
        .extracting(EnvVar::getValue)
        .containsExactly(expected);

    RevisionRecord plain =
        new DeployPlanner(true)
            .plan(parser.parse(api("mod")), Map.of(), Map.of(), Instant.now())
            .getFirst()
            .api()
            .history()
            .getFirst();
    assertThat(PredictorEnv.of(new RevisionRef("mod", plain.id()), plain, pod))
        .extracting(EnvVar::getName)
        .doesNotContain("SERVAL_PREDICTOR_WARMUP_REQUEST");
    assertThat(PredictorLaunch.of(s, "mod", plain, "mod-x-0", 8000, 8001).environment())
        .doesNotContainKey("SERVAL_PREDICTOR_WARMUP_REQUEST");
  }

  private void assertProblem(String yaml, String expected) {
    assertThatThrownBy(() -> parser.parse(yaml))
        .isInstanceOfSatisfying(
            SpecException.class, e -> assertThat(e.problems()).contains(expected));
  }

  private void assertProblemContaining(String yaml, String expected) {
    assertThatThrownBy(() -> parser.parse(yaml))
        .isInstanceOfSatisfying(
            SpecException.class,
            e -> assertThat(e.problems()).anyMatch(p -> p.startsWith(expected)));
  }
}
