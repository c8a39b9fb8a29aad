package io.serval.operator.runtime.kubernetes.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a custom resource's status through the status subresource (a JSON patch replacing status
 * as a whole, so that fields that went away go away), and only when it differs from what the
 * resource already shows, so that an idle operator writes nothing and watchers are not woken for
 * nothing.
 */
public final class StatusWriter {

  private static final ObjectMapper JSON =
      JsonMapper.builder().serializationInclusion(JsonInclude.Include.NON_NULL).build();

  private final KubernetesClient client;
  private final String namespace;

  /** What was last written per resource, with the resourceVersion the cache showed then. */
  private final Map<String, Written> written = new HashMap<>();

  private record Written(JsonNode status, String cachedVersion) {}

  public StatusWriter(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /**
   * @return whether a write was made
   */
  public boolean write(
      ResourceDefinitionContext kind, GenericKubernetesResource cached, Object status) {
    JsonNode desired = tree(status);
    JsonNode shown = tree(cached.getAdditionalProperties().get("status"));
    String key = cached.getKind() + "/" + cached.getMetadata().getName();
    String version = cached.getMetadata().getResourceVersion();
    Written last = written.get(key);
    boolean cacheBehind =
        last != null
            && last.status().equals(desired)
            && Objects.equals(last.cachedVersion(), version);
    if (desired.equals(shown) || cacheBehind) {
      return false;
    }
    client
        .genericKubernetesResources(kind)
        .inNamespace(namespace)
        .withName(cached.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), replaceStatus(desired));
    written.put(key, new Written(desired, version));
    return true;
  }

  public void forget(String kind, String name) {
    written.remove(kind + "/" + name);
  }

  private static String replaceStatus(JsonNode status) {
    return JSON.createArrayNode()
        .add(JSON.createObjectNode().put("op", "add").put("path", "/status").set("value", status))
        .toString();
  }

  /** Via text, so that numbers compare by value whatever Java type held them. */
  private static JsonNode tree(Object value) {
    try {
      return JSON.readTree(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write status as JSON", e);
    }
  }
}
