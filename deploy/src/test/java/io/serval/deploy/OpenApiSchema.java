package io.serval.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The structural subset of OpenAPI v3 that a CRD's openAPIV3Schema uses, checked the way the API
 * server checks a custom resource with strict field validation: types, unknown fields (refused
 * unless x-kubernetes-preserve-unknown-fields), required, enum, minimum/maximum (exclusive too),
 * pattern, items and map values.
 */
final class OpenApiSchema {

  private OpenApiSchema() {}

  /** Every violation, as "path: what"; empty when the value fits. */
  static List<String> violations(JsonNode schema, JsonNode value, String path) {
    List<String> out = new ArrayList<>();
    check(schema, value, path, out);
    return out;
  }

  private static void check(JsonNode schema, JsonNode value, String path, List<String> out) {
    if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
        && !schema.has("type")) {
      return;
    }
    String type = schema.path("type").asText("");
    switch (type) {
      case "object" -> object(schema, value, path, out);
      case "array" -> {
        if (!value.isArray()) {
          out.add(path + ": must be an array");
          return;
        }
        for (int i = 0; i < value.size(); i++) {
          check(schema.path("items"), value.get(i), path + "[" + i + "]", out);
        }
      }
      case "string" -> {
        if (!value.isTextual()) {
          out.add(path + ": must be a string");
          return;
        }
        if (schema.has("pattern")
            && !Pattern.compile(schema.path("pattern").asText()).matcher(value.asText()).find()) {
          out.add(path + ": must match " + schema.path("pattern").asText());
        }
      }
      case "integer" -> {
        if (!value.isIntegralNumber()) {
          out.add(path + ": must be an integer");
          return;
        }
        bounds(schema, value, path, out);
      }
      case "number" -> {
        if (!value.isNumber()) {
          out.add(path + ": must be a number");
          return;
        }
        bounds(schema, value, path, out);
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          out.add(path + ": must be a boolean");
        }
      }
      default -> out.add(path + ": schema without a known type: " + type);
    }
    if (schema.has("enum")) {
      boolean any = false;
      for (JsonNode e : schema.path("enum")) {
        any |= e.equals(value);
      }
      if (!any) {
        out.add(path + ": must be one of " + schema.path("enum"));
      }
    }
  }

  private static void object(JsonNode schema, JsonNode value, String path, List<String> out) {
    if (!value.isObject()) {
      out.add(path + ": must be an object");
      return;
    }
    for (JsonNode r : schema.path("required")) {
      if (!value.has(r.asText())) {
        out.add(path + "." + r.asText() + ": required");
      }
    }
    JsonNode props = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String p = path + "." + f.getKey();
      if (props.has(f.getKey())) {
        check(props.path(f.getKey()), f.getValue(), p, out);
      } else if (additional.isObject()) {
        check(additional, f.getValue(), p, out);
      } else if (!preserve) {
        out.add(p + ": unknown field");
      }
    }
  }

  private static void bounds(JsonNode schema, JsonNode value, String path, List<String> out) {
    double v = value.asDouble();
    if (schema.has("minimum")) {
      double min = schema.path("minimum").asDouble();
      boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
      if (exclusive ? v <= min : v < min) {
        out.add(path + ": must be " + (exclusive ? "> " : ">= ") + min);
      }
    }
    if (schema.has("maximum")) {
      double max = schema.path("maximum").asDouble();
      boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
      if (exclusive ? v >= max : v > max) {
        out.add(path + ": must be " + (exclusive ? "< " : "<= ") + max);
      }
    }
  }
}
