package io.serval.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A resource as a deployable document: apiVersion, kind, metadata.name and spec, without the status
 * and the fields the platform sets (generation, timestamps), so that deploying it changes nothing.
 */
public final class Manifest {

  private Manifest() {}

  /** The value the management API shows in place of credentials in a model URI. */
  static final String REDACTED = "REDACTED";

  public static ObjectNode of(JsonNode view) {
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.set("apiVersion", view.path("apiVersion"));
    doc.set("kind", view.path("kind"));
    doc.putObject("metadata").set("name", view.path("metadata").path("name"));
    doc.set("spec", withoutNulls(view.path("spec").deepCopy()));
    return doc;
  }

  /**
   * Whether the view hides credentials in its model URI: its document would not deploy the same
   * model (the platform never shows the real URI back).
   */
  public static boolean hidesCredentials(JsonNode view) {
    return view.path("spec").path("model").path("uri").asText("").contains(REDACTED);
  }

  /** A null field and an absent one mean the same to the spec parser; absent reads cleaner. */
  private static JsonNode withoutNulls(JsonNode n) {
    if (n instanceof ObjectNode o) {
      List<String> nulls = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        if (e.getValue().isNull()) {
          nulls.add(e.getKey());
        } else {
          withoutNulls(e.getValue());
        }
      }
      o.remove(nulls);
    } else if (n.isArray()) {
      n.forEach(Manifest::withoutNulls);
    }
    return n;
  }
}
