package io.serval.operator.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.serval.specrules.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the fields of one mapping in a spec document, reporting wrong types and, at {@link
 * #finish()}, fields it was never asked for, each with its full path.
 */
final class ObjectReader {

  private final JsonNode node;
  private final String path;
  private final Problems.Scope problems;
  private final Set<String> known = new LinkedHashSet<>();

  private ObjectReader(JsonNode node, String path, Problems.Scope problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  static Optional<ObjectReader> of(JsonNode node, String path, Problems.Scope problems) {
    if (!node.isObject()) {
      problems.add(path.isEmpty() ? "(document)" : path, "must be a mapping, got " + show(node));
      return Optional.empty();
    }
    return Optional.of(new ObjectReader(node, path, problems));
  }

  String path(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  Problems.Scope problems() {
    return problems;
  }

  Optional<JsonNode> raw(String field) {
    known.add(field);
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  /** Whether the field is present with a non-null value (and marks it known). */
  boolean has(String field) {
    return raw(field).isPresent();
  }

  Optional<String> string(String field) {
    return raw(field)
        .flatMap(v -> expect(field, v, v.isTextual(), "a string").map(JsonNode::asText));
  }

  /** Quantities may be written as numbers ("cpu: 1") or strings ("cpu: 500m"). */
  Optional<String> scalarText(String field) {
    return raw(field)
        .flatMap(v -> expect(field, v, v.isTextual() || v.isNumber(), "a string or number"))
        .map(JsonNode::asText);
  }

  Optional<Integer> integer(String field) {
    return raw(field)
        .flatMap(v -> expect(field, v, v.isIntegralNumber() && v.canConvertToInt(), "an integer"))
        .map(JsonNode::intValue);
  }

  Optional<Double> number(String field) {
    return raw(field)
        .flatMap(v -> expect(field, v, v.isNumber(), "a number"))
        .map(JsonNode::doubleValue);
  }

  Optional<Boolean> bool(String field) {
    return raw(field)
        .flatMap(v -> expect(field, v, v.isBoolean(), "true or false"))
        .map(JsonNode::booleanValue);
  }

  Optional<Duration> duration(String field) {
    Optional<JsonNode> v = raw(field);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (!v.get().isTextual()) {
      problems.add(path(field), "must be a duration like 2ms, 10s, 1m or 1h, got " + show(v.get()));
      return Optional.empty();
    }
    try {
      return Optional.of(Durations.parse(v.get().asText()));
    } catch (IllegalArgumentException e) {
      problems.add(path(field), e.getMessage());
      return Optional.empty();
    }
  }

  Optional<ObjectReader> object(String field) {
    return raw(field).flatMap(v -> of(v, path(field), problems));
  }

  Optional<List<JsonNode>> list(String field) {
    return raw(field)
        .flatMap(v -> expect(field, v, v.isArray(), "a list"))
        .map(
            v -> {
              List<JsonNode> items = new ArrayList<>();
              v.forEach(items::add);
              return items;
            });
  }

  void required(String field) {
    problems.add(path(field), "required");
  }

  /** Reports every field of this mapping that no reader asked for. */
  void finish() {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        problems.add(path(name), "unknown field; known fields: " + String.join(", ", known));
      }
    }
  }

  private Optional<JsonNode> expect(String field, JsonNode v, boolean ok, String what) {
    if (!ok) {
      problems.add(path(field), "must be " + what + ", got " + show(v));
      return Optional.empty();
    }
    return Optional.of(v);
  }

  static String show(JsonNode v) {
    if (v.isTextual()) {
      return "\"" + v.asText() + "\"";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    return v.toString();
  }
}
