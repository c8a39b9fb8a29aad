package io.serval.cli.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.serval.cli.client.ResourceKind;
import io.serval.cli.output.ResourceSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Follows one deployed resource through successive views of its status: says what changed since the
 * last view (replicas starting and ready, the rollout's phase, traffic shares) and when it has
 * settled, ready or failed and why. Pure: the caller fetches the views.
 */
public final class RolloutFollower {

  private final Target target;
  private Outcome outcome = Outcome.FOLLOWING;
  private String outcomeMessage = "";
  private String lastReplicas;
  private String lastRollout;
  private String lastTraffic;
  private String lastSplitter;

  public RolloutFollower(Target target) {
    this.target = target;
    if (target.unchanged()) {
      outcome = Outcome.READY;
      outcomeMessage = target.name() + ": unchanged";
    }
  }

  public Target target() {
    return target;
  }

  public Outcome outcome() {
    return outcome;
  }

  /** Why it settled: the last line to print. */
  public String outcomeMessage() {
    return outcomeMessage;
  }

  /** What changed since the previous view, one line each, prefixed with the resource's name. */
  public List<String> observe(JsonNode view) {
    List<String> lines = new ArrayList<>();
    if (outcome.settled()) {
      return lines;
    }
    if (target.kind() == ResourceKind.SPLITTER) {
      observeSplitter(view, lines);
    } else {
      observeApi(view, lines);
    }
    return lines;
  }

  private void observeSplitter(JsonNode view, List<String> lines) {
    String ready =
        ResourceSummary.condition(view, "Ready").map(c -> c.path("message").asText()).orElse("");
    if (!ready.equals(lastSplitter)) {
      lines.add(say(ready));
      lastSplitter = ready;
    }
    if ("live".equals(ResourceSummary.splitterStatus(view))
        && view.path("status").path("observedGeneration").asLong() >= target.generation()) {
      settle(
          Outcome.READY,
          say(
              "ready: "
                  + ResourceSummary.backends(view)
                  + " at "
                  + ResourceSummary.endpoint(view)));
    }
  }

  private void observeApi(JsonNode view, List<String> lines) {
    JsonNode status = view.path("status");
    JsonNode r = status.path("replicas");
    String replicas =
        "replicas "
            + r.path("ready").asInt()
            + "/"
            + r.path("requested").asInt()
            + " ready ("
            + r.path("upToDate").asInt()
            + " on revision "
            + target.revision()
            + ")";
    if (!replicas.equals(lastReplicas)) {
      lines.add(say(replicas));
      lastReplicas = replicas;
    }
    Optional<JsonNode> rolloutCond = ResourceSummary.condition(view, "RolloutInProgress");
    String rolloutReason = rolloutCond.map(c -> c.path("reason").asText()).orElse("");
    String rollout =
        rolloutCond
            .filter(c -> !"NoRollout".equals(c.path("reason").asText()))
            .map(c -> "rollout " + c.path("reason").asText() + ": " + c.path("message").asText())
            .orElse(null);
    if (rollout != null && !rollout.equals(lastRollout)) {
      lines.add(say(rollout));
    }
    lastRollout = rollout;
    String traffic = ResourceSummary.revisions(view);
    if (lastTraffic != null && !traffic.equals(lastTraffic)) {
      lines.add(say("traffic " + traffic));
    }
    lastTraffic = traffic;

    Optional<JsonNode> degraded =
        ResourceSummary.condition(view, "Degraded")
            .filter(c -> "True".equals(c.path("status").asText()));
    String current = currentRevision(status);
    boolean observed = status.path("observedGeneration").asLong() >= target.generation();
    if ("RolledBack".equals(rolloutReason)
        && target.revision() != null
        && !Objects.equals(current, target.revision())) {
      settle(
          Outcome.ROLLED_BACK,
          say(
              "rolled back to revision "
                  + current
                  + ": "
                  + rolloutCond.get().path("message").asText()
                  + " (serval logs "
                  + target.name()
                  + " shows the replicas' logs)"));
    } else if (degraded.isPresent()) {
      settle(
          Outcome.DEGRADED,
          say(
              "degraded: "
                  + degraded.get().path("message").asText()
                  + ". The platform keeps retrying; see serval logs "
                  + target.name()
                  + " and serval describe "
                  + target.name()));
    } else if (observed
        && "live".equals(ResourceSummary.apiStatus(view))
        && (target.revision() == null || Objects.equals(current, target.revision()))) {
      settle(
          Outcome.READY,
          say(
              "ready: revision "
                  + current
                  + ", "
                  + r.path("ready").asInt()
                  + "/"
                  + r.path("requested").asInt()
                  + " replicas, at "
                  + ResourceSummary.endpoint(view)));
    } else if (observed && "scaled to zero".equals(ResourceSummary.apiStatus(view))) {
      settle(Outcome.READY, say("ready: scaled to zero"));
    }
  }

  /** The resource disappeared while it was followed. */
  public void gone() {
    settle(Outcome.ROLLED_BACK, say("was deleted while the rollout was followed"));
  }

  private void settle(Outcome o, String message) {
    outcome = o;
    outcomeMessage = message;
  }

  private String say(String s) {
    return target.name() + ": " + s;
  }

  private static String currentRevision(JsonNode status) {
    for (JsonNode r : status.path("revisions")) {
      if (r.path("current").asBoolean()) {
        return r.path("revision").asText();
      }
    }
    return null;
  }
}
