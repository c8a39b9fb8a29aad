package io.serval.operator.revision;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The leaf fields that differ between two JSON trees of a spec, field by field, so that a dry run
 * can say exactly what a deploy changes. Objects are compared key by key; arrays element by element
 * when both have the same length, otherwise as a whole (a list grown or shrunk reads best whole).
 * Both trees come from the same serialisation of parsed, defaulted specs, so a field the user left
 * out and its default compare equal.
 */
public final class FieldDiff {

  private FieldDiff() {}

  /**
   * @param root the path prefix of both trees (e.g. "spec")
   */
  public static List<FieldChange> between(String root, JsonNode from, JsonNode to) {
    List<FieldChange> out = new ArrayList<>();
    collect(root, absentAsNull(from), absentAsNull(to), out);
    return List.copyOf(out);
  }

  private static void collect(String path, JsonNode a, JsonNode b, List<FieldChange> out) {
    if (a == null && b == null) {
      return;
    }
    if (a != null && b != null && a.equals(b)) {
      return;
    }
    if (a != null && b != null && a.isObject() && b.isObject()) {
      Set<String> keys = new LinkedHashSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        collect(path + "." + k, absentAsNull(a.get(k)), absentAsNull(b.get(k)), out);
      }
      return;
    }
    if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
      Iterator<JsonNode> ia = a.elements();
      Iterator<JsonNode> ib = b.elements();
      for (int i = 0; ia.hasNext(); i++) {
        collect(path + "[" + i + "]", absentAsNull(ia.next()), absentAsNull(ib.next()), out);
      }
      return;
    }
    out.add(new FieldChange(path, a, b));
  }

  /** A JSON null and a missing field mean the same here: not set. */
  private static JsonNode absentAsNull(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n;
  }
}
