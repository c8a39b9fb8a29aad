package io.serval.operator.revision;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.operator.spec.ModelSpec;
import io.serval.operator.spec.RealtimeApi;
import io.serval.operator.spec.RealtimeApiSpec;
import io.serval.operator.spec.SpecFixtures;
import io.serval.operator.spec.SpecParser;
import org.junit.jupiter.api.Test;

class RevisionDiffTest {

  private final SpecParser parser = new SpecParser();

  private RealtimeApiSpec spec(String extra) {
    return ((RealtimeApi) parser.parse(SpecFixtures.api("m", extra)).getFirst()).spec();
  }

  @Test
  void sameSpecIsUnchangedAndKeepsItsRevision() {
    RevisionDiff diff = RevisionDiff.between(spec(""), spec(""));
    assertThat(diff.change()).isEqualTo(RevisionDiff.Change.UNCHANGED);
    assertThat(diff.changedSections()).isEmpty();
    assertThat(RevisionId.of(spec(""))).isEqualTo(RevisionId.of(spec(""))).hasSize(10);
  }

  @Test
  void writingADefaultExplicitlyChangesNothing() {
    assertThat(RevisionDiff.between(spec(""), spec("predictor: {workers: 1}")).change())
        .isEqualTo(RevisionDiff.Change.UNCHANGED);
  }

  @Test
  void trafficAndAutoscalingApplyInPlace() {
    RevisionDiff diff =
        RevisionDiff.between(
            spec(""), spec("traffic: {maxConcurrency: 4}\nautoscaling: {maxReplicas: 3}"));
    assertThat(diff.change()).isEqualTo(RevisionDiff.Change.IN_PLACE);
    assertThat(diff.changedSections()).containsExactly("traffic", "autoscaling");
    assertThat(RevisionId.of(spec("traffic: {maxConcurrency: 4}")))
        .isEqualTo(RevisionId.of(spec("")));
  }

  @Test
  void theAsyncResultTtlAppliesInPlace() {
    RevisionDiff diff = RevisionDiff.between(spec(""), spec("async: {resultTtl: 1h}"));
    assertThat(diff.change()).isEqualTo(RevisionDiff.Change.IN_PLACE);
    assertThat(diff.changedSections()).containsExactly("async");
    assertThat(RevisionId.of(spec("async: {resultTtl: 1h}"))).isEqualTo(RevisionId.of(spec("")));
  }

  @Test
  void modelPredictorOrComputeMakeANewRevision() {
    RealtimeApiSpec base = spec("");
    for (String extra :
        new String[] {
          "predictor: {threadsPerWorker: 2}",
          "compute: {cpu: '2'}",
          "predictor: {batching: {maxBatchSize: 8}}"
        }) {
      RealtimeApiSpec changed = spec(extra);
      assertThat(RevisionDiff.between(base, changed).change())
          .as(extra)
          .isEqualTo(RevisionDiff.Change.NEW_REVISION);
      assertThat(RevisionId.of(changed)).as(extra).isNotEqualTo(RevisionId.of(base));
    }
    RealtimeApiSpec otherModelAndTimeout =
        spec("traffic: {timeout: 5s}")
            .withRevisionSections(
                new ModelSpec("file:other.onnx", "onnx", null), base.predictor(), base.compute());
    RevisionDiff diff = RevisionDiff.between(base, otherModelAndTimeout);
    assertThat(diff.change()).isEqualTo(RevisionDiff.Change.NEW_REVISION);
    assertThat(diff.changedSections()).containsExactly("model", "traffic");
  }
}
