package io.serval.cli.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.serval.cli.client.ResourceKind;

/**
 * One resource of a deploy as POST /v1/deploy reported it: what to follow until it settles.
 *
 * @param action created, updated (new revision, rolled out), configured (in place) or unchanged
 * @param revision the revision the deploy made current (APIs only)
 */
public record Target(
    ResourceKind kind, String name, String action, String revision, long generation) {

  public static Target of(JsonNode item) {
    return new Target(
        ResourceKind.ofKind(item.path("kind").asText()),
        item.path("name").asText(),
        item.path("action").asText(),
        item.hasNonNull("revision") ? item.get("revision").asText() : null,
        item.path("generation").asLong());
  }

  public boolean unchanged() {
    return "unchanged".equals(action);
  }
}
