package io.serval.it.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** A RealtimeApi as GET /v1/apis/{name} shows it, with accessors for what the tests check. */
public record ApiState(JsonNode json) {

  public String name() {
    return json.path("metadata").path("name").asText();
  }

  /** The current revision (the one the spec asks for). */
  public String currentRevision() {
    for (JsonNode r : json.path("status").path("revisions")) {
      if (r.path("current").asBoolean()) {
        return r.path("revision").asText();
      }
    }
    throw new AssertionError("no current revision in " + json.path("status"));
  }

  /** Revision to traffic percent, as the status lists them. */
  public Map<String, Integer> traffic() {
    Map<String, Integer> out = new LinkedHashMap<>();
    json.path("status")
        .path("revisions")
        .forEach(r -> out.put(r.path("revision").asText(), r.path("trafficPercent").asInt()));
    return out;
  }

  public JsonNode condition(String type) {
    for (JsonNode c : json.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    throw new AssertionError("no condition " + type + " in " + json.path("status"));
  }

  public boolean conditionTrue(String type) {
    return "True".equals(condition(type).path("status").asText());
  }

  public String conditionReason(String type) {
    return condition(type).path("reason").asText();
  }

  public String conditionMessage(String type) {
    return condition(type).path("message").asText();
  }

  public int requestedReplicas() {
    return json.path("status").path("replicas").path("requested").asInt();
  }

  public int readyReplicas() {
    return json.path("status").path("replicas").path("ready").asInt();
  }

  public int upToDateReplicas() {
    return json.path("status").path("replicas").path("upToDate").asInt();
  }

  /** Ready, no rollout running, every ready replica of the current revision. */
  public boolean settled() {
    return conditionTrue("Ready")
        && !conditionTrue("RolloutInProgress")
        && readyReplicas() == upToDateReplicas()
        && upToDateReplicas() >= requestedReplicas();
  }

  public String summary() {
    return name()
        + " revision="
        + currentRevision()
        + " traffic="
        + traffic()
        + " replicas(requested/ready/upToDate)="
        + requestedReplicas()
        + "/"
        + readyReplicas()
        + "/"
        + upToDateReplicas()
        + " Ready="
        + conditionReason("Ready")
        + " Rollout="
        + conditionReason("RolloutInProgress")
        + " Degraded="
        + conditionReason("Degraded");
  }
}
