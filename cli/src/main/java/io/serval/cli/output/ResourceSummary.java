package io.serval.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One-word status and short columns derived from a resource view of the management API. */
public final class ResourceSummary {

  private ResourceSummary() {}

  public static Optional<JsonNode> condition(JsonNode view, String type) {
    for (JsonNode c : view.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  static boolean isTrue(Optional<JsonNode> c) {
    return c.map(x -> "True".equals(x.path("status").asText())).orElse(false);
  }

  /**
   * live, updating (a rollout is under way), starting (replicas not ready yet), degraded (a replica
   * is crash-looping), scaled to zero, or unknown (no runtime runs replicas).
   */
  public static String apiStatus(JsonNode view) {
    Optional<JsonNode> ready = condition(view, "Ready");
    if (isTrue(condition(view, "Degraded"))) {
      return "degraded";
    }
    if (isTrue(condition(view, "RolloutInProgress"))) {
      return "updating";
    }
    if (ready.isEmpty() || "Unknown".equals(ready.get().path("status").asText())) {
      return "unknown";
    }
    if (isTrue(ready)) {
      return "ScaledToZero".equals(ready.get().path("reason").asText()) ? "scaled to zero" : "live";
    }
    return view.path("status").path("replicas").path("ready").asInt() == 0
        ? "starting"
        : "updating";
  }

  public static String splitterStatus(JsonNode view) {
    return isTrue(condition(view, "Ready")) ? "live" : "waiting";
  }

  /** ready/requested. */
  public static String replicas(JsonNode view) {
    JsonNode r = view.path("status").path("replicas");
    return r.path("ready").asInt() + "/" + r.path("requested").asInt();
  }

  public static String upToDate(JsonNode view) {
    return String.valueOf(view.path("status").path("replicas").path("upToDate").asInt());
  }

  /** Revisions with a share of traffic, or the current one: "a1b2 90%, c3d4 10%". */
  public static String revisions(JsonNode view) {
    List<String> parts = new ArrayList<>();
    for (JsonNode r : view.path("status").path("revisions")) {
      int share = r.path("trafficPercent").asInt();
      if (share > 0 || r.path("current").asBoolean()) {
        parts.add(r.path("revision").asText() + " " + share + "%");
      }
    }
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }

  /** "q 90%, full 10%, canary 5% (shadow)". */
  public static String backends(JsonNode view) {
    List<String> parts = new ArrayList<>();
    for (JsonNode a : view.path("spec").path("apis")) {
      parts.add(
          a.path("name").asText()
              + " "
              + a.path("weight").asInt()
              + "%"
              + (a.path("shadow").asBoolean() ? " (shadow)" : ""));
    }
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }

  public static String endpoint(JsonNode view) {
    return view.path("status").path("endpoint").asText("-");
  }

  public static String updated(JsonNode view) {
    JsonNode m = view.path("metadata");
    return m.hasNonNull("updateTimestamp")
        ? m.get("updateTimestamp").asText()
        : m.path("creationTimestamp").asText(null);
  }
}
