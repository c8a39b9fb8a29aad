package io.serval.cli.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.serval.cli.client.Json;
import io.serval.cli.client.ResourceKind;
import org.junit.jupiter.api.Test;

class RolloutFollowerTest {

  private static JsonNode view(
      long observed, String ready, String rollout, String degraded, String revisions) {
    return Json.parse(
        """
        {"metadata":{"name":"m"},"status":{"observedGeneration":%d,"conditions":[
          {"type":"Ready","status":"%s","reason":"R","message":"ready msg"},
          {"type":"RolloutInProgress","status":"%s","reason":"%s","message":"rollout msg"},
          {"type":"Degraded","status":"%s","reason":"CrashLoop","message":"replica m-r2-0 died 3 times"}],
         "replicas":{"requested":1,"ready":1,"upToDate":1},"revisions":[%s],
         "endpoint":"http://localhost:8080/v2/models/m"}}"""
            .formatted(
                observed,
                ready,
                rollout.equals("NoRollout")
                        || rollout.equals("Complete")
                        || rollout.equals("RolledBack")
                    ? "False"
                    : "True",
                rollout,
                degraded,
                revisions));
  }

  private static final String ON_R2 =
      "{\"revision\":\"r2\",\"trafficPercent\":100,\"current\":true}";
  private static final String BACK_ON_R1 =
      "{\"revision\":\"r1\",\"trafficPercent\":100,\"current\":true},"
          + "{\"revision\":\"r2\",\"trafficPercent\":0,\"current\":false}";

  private final Target updated = new Target(ResourceKind.API, "m", "updated", "r2", 2);

  @Test
  void waitsForTheRuntimeToObserveTheNewGeneration() {
    RolloutFollower f = new RolloutFollower(updated);

    f.observe(view(1, "True", "NoRollout", "False", ON_R2));
    assertThat(f.outcome()).isEqualTo(Outcome.FOLLOWING);

    f.observe(view(2, "True", "Complete", "False", ON_R2));
    assertThat(f.outcome()).isEqualTo(Outcome.READY);
    assertThat(f.outcomeMessage())
        .isEqualTo("m: ready: revision r2, 1/1 replicas, at http://localhost:8080/v2/models/m");
  }

  @Test
  void printsOnlyWhatChanged() {
    RolloutFollower f = new RolloutFollower(updated);

    assertThat(f.observe(view(2, "False", "WaitingForReady", "False", ON_R2)))
        .containsExactly(
            "m: replicas 1/1 ready (1 on revision r2)", "m: rollout WaitingForReady: rollout msg");
    assertThat(f.observe(view(2, "False", "WaitingForReady", "False", ON_R2))).isEmpty();
  }

  @Test
  void aRollbackAwayFromTheDeployedRevisionFails() {
    RolloutFollower f = new RolloutFollower(updated);

    f.observe(view(2, "True", "RolledBack", "False", BACK_ON_R1));

    assertThat(f.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(f.outcomeMessage()).startsWith("m: rolled back to revision r1: rollout msg");
  }

  @Test
  void aCrashLoopFailsWithItsMessage() {
    RolloutFollower f = new RolloutFollower(updated);

    f.observe(view(2, "False", "WaitingForReady", "True", ON_R2));

    assertThat(f.outcome()).isEqualTo(Outcome.DEGRADED);
    assertThat(f.outcomeMessage()).contains("replica m-r2-0 died 3 times", "serval logs m");
  }

  @Test
  void unchangedResourcesAreSettledAtOnce() {
    RolloutFollower f =
        new RolloutFollower(new Target(ResourceKind.API, "m", "unchanged", "r1", 1));

    assertThat(f.outcome()).isEqualTo(Outcome.READY);
    assertThat(f.observe(view(1, "False", "NoRollout", "False", ON_R2))).isEmpty();
  }

  @Test
  void aSplitterIsReadyWhenItsApisAre() {
    RolloutFollower f =
        new RolloutFollower(new Target(ResourceKind.SPLITTER, "s", "created", null, 1));
    JsonNode waiting =
        Json.parse(
            """
            {"spec":{"apis":[{"name":"a","weight":100}]},"status":{"observedGeneration":1,
             "conditions":[{"type":"Ready","status":"False","message":"not ready: a"}],"endpoint":"e"}}""");
    JsonNode live =
        Json.parse(
            """
            {"spec":{"apis":[{"name":"a","weight":100}]},"status":{"observedGeneration":1,
             "conditions":[{"type":"Ready","status":"True","message":"all ready"}],"endpoint":"e"}}""");

    assertThat(f.observe(waiting)).containsExactly("s: not ready: a");
    assertThat(f.outcome()).isEqualTo(Outcome.FOLLOWING);
    f.observe(live);
    assertThat(f.outcome()).isEqualTo(Outcome.READY);
    assertThat(f.outcomeMessage()).isEqualTo("s: ready: a 100% at e");
  }
}
