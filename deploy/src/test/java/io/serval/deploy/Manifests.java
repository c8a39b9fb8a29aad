package io.serval.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Rendered manifests, looked up by kind and name. */
record Manifests(List<JsonNode> all) {

  List<JsonNode> ofKind(String kind) {
    return all.stream().filter(m -> kind.equals(m.path("kind").asText())).toList();
  }

  JsonNode get(String kind, String name) {
    List<JsonNode> found =
        all.stream()
            .filter(m -> kind.equals(m.path("kind").asText()))
            .filter(m -> name.equals(m.path("metadata").path("name").asText()))
            .toList();
    assertThat(found).as("%s %s", kind, name).hasSize(1);
    return found.getFirst();
  }

  boolean has(String kind, String name) {
    return all.stream()
        .anyMatch(
            m ->
                kind.equals(m.path("kind").asText())
                    && name.equals(m.path("metadata").path("name").asText()));
  }

  static JsonNode container(JsonNode deployment) {
    return deployment.path("spec").path("template").path("spec").path("containers").get(0);
  }

  static String env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (name.equals(e.path("name").asText())) {
        return e.has("value") ? e.path("value").asText() : e.path("valueFrom").toString();
      }
    }
    return null;
  }
}
