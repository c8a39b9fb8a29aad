package io.serval.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A dry run's answer as text: per resource what a deploy would do (created, new revision, applied
 * in place, unchanged) and, field by field, each changed path with its old and new value.
 */
public final class PlanText {

  private PlanText() {}

  /** The marker between a field's old and new value. */
  static final String ARROW = " → ";

  /** One line per resource saying what a deploy would do, then one per changed field. */
  public static String render(JsonNode plan) {
    List<String> lines = new ArrayList<>();
    for (JsonNode item : plan.path("resources")) {
      lines.add(headline(item));
      for (JsonNode c : item.path("changes")) {
        lines.add(
            "  "
                + c.path("path").asText()
                + ": "
                + value(c.get("from"))
                + ARROW
                + value(c.get("to")));
      }
    }
    return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
  }

  private static String headline(JsonNode item) {
    String who = item.path("kind").asText() + " " + item.path("name").asText();
    String revision = item.path("revision").asText("");
    return switch (item.path("action").asText()) {
      case "created" ->
          who + ": would be created" + (revision.isEmpty() ? "" : " (revision " + revision + ")");
      case "updated" -> who + ": new revision " + revision + " (rolled out)";
      case "configured" -> who + ": changed in place (no new revision)";
      case "unchanged" -> who + ": unchanged";
      default -> who + ": " + item.path("message").asText();
    };
  }

  /** Scalars as YAML would show them; a field added or removed reads "(unset)". */
  static String value(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "(unset)";
    }
    return n.isValueNode() ? n.asText() : n.toString();
  }
}
