package io.serval.operator.status;

import static io.serval.operator.spec.SpecFixtures.splitter;
import static org.assertj.core.api.Assertions.assertThat;

import io.serval.operator.MutableClock;
import io.serval.operator.spec.SpecParser;
import io.serval.operator.spec.TrafficSplitter;
import io.serval.operator.state.SplitterRecord;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one rule for a splitter's Ready condition, used by /v1 and the custom resources alike. */
class SplitterStatusBuilderTest {

  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
  private final SplitterStatusBuilder builder =
      new SplitterStatusBuilder("http://r:8080/", new TransitionTimes(new MutableClock(t0)));

  private final SplitterRecord record =
      new SplitterRecord(
          (TrafficSplitter)
              new SpecParser()
                  .parse(
                      splitter(
                          "s",
                          """
                          - {name: a, weight: 90}
                          - {name: b, weight: 10}
                          - {name: c, weight: 0, shadow: true}"""))
                  .getFirst(),
          1,
          null,
          t0,
          t0);

  private Condition ready(Map<String, ConditionStatus> apis) {
    SplitterStatus s = builder.build(record, n -> Optional.ofNullable(apis.get(n)), 7);
    assertThat(s.observedGeneration()).isEqualTo(7);
    assertThat(s.conditions()).allMatch(c -> c.observedGeneration() == 7);
    assertThat(s.endpoint()).isEqualTo("http://r:8080/v2/models/s");
    return s.conditions().getFirst();
  }

  @Test
  void readyWhenEveryApiIsReadyShadowsAside() {
    Condition c =
        ready(
            Map.of(
                "a", ConditionStatus.True, "b", ConditionStatus.True, "c", ConditionStatus.False));
    assertThat(c.status()).isEqualTo(ConditionStatus.True);
    assertThat(c.reason()).isEqualTo(ConditionReason.AllApisReady);
    assertThat(c.lastTransitionTime()).isEqualTo(t0.toString());
  }

  @Test
  void notReadyWhenAnApiIsNotReadyOrMissing() {
    Condition c = ready(Map.of("a", ConditionStatus.False, "c", ConditionStatus.True));
    assertThat(c.status()).isEqualTo(ConditionStatus.False);
    assertThat(c.reason()).isEqualTo(ConditionReason.ApisNotReady);
    assertThat(c.message()).isEqualTo("not ready: a, b");
  }

  @Test
  void unknownWhenNoApiIsNotReadyButSomeCannotTell() {
    // Runtime none: APIs are Ready Unknown. Before, /v1 said True here and Kubernetes False.
    Condition c = ready(Map.of("a", ConditionStatus.Unknown, "b", ConditionStatus.True));
    assertThat(c.status()).isEqualTo(ConditionStatus.Unknown);
    assertThat(c.reason()).isEqualTo(ConditionReason.ApisReadinessUnknown);
    assertThat(c.message()).isEqualTo("readiness unknown: a");
    assertThat(ready(Map.of("a", ConditionStatus.Unknown, "b", ConditionStatus.False)).status())
        .as("a not-ready API wins over an unknown one")
        .isEqualTo(ConditionStatus.False);
  }
}
