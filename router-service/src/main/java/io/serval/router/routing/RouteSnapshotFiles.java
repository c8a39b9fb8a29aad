package io.serval.router.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.serval.proto.control.RouteSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a static routes file: the proto3 JSON mapping of {@code serval.control.v1.RouteSnapshot}
 * (field names in lowerCamelCase or snake_case, durations as strings such as {@code "10s"}), in
 * JSON or in YAML (same structure). Durations may also be written {@code 300ms}, {@code 2m} or
 * {@code 1h}. See the module README for an example.
 */
public final class RouteSnapshotFiles {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private RouteSnapshotFiles() {}

  /**
   * @throws IllegalArgumentException naming the file and what is wrong in it
   */
  public static RouteSnapshot read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read routes file " + file + ": " + e, e);
    }
    return parse(text, file.toString());
  }

  private static final java.util.regex.Pattern HUMAN_DURATION =
      java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|m|h)");

  /** The duration fields a routes file may write as {@code 300ms}, {@code 2m} or {@code 1h}. */
  private static final java.util.Set<String> DURATION_FIELDS =
      java.util.Set.of("timeout", "asyncResultTtl", "async_result_ttl");

  /**
   * Rewrites {@code timeout: 300ms} (and the other duration fields) into the proto3 JSON form
   * {@code "0.300s"}.
   */
  private static void normalizeDurations(JsonNode node) {
    if (node.isObject()) {
      var obj = (com.fasterxml.jackson.databind.node.ObjectNode) node;
      for (var it = obj.properties().iterator(); it.hasNext(); ) {
        var field = it.next();
        JsonNode v = field.getValue();
        if (DURATION_FIELDS.contains(field.getKey()) && v.isTextual()) {
          var m = HUMAN_DURATION.matcher(v.asText().trim());
          if (m.matches()) {
            java.math.BigDecimal amount = new java.math.BigDecimal(m.group(1));
            java.math.BigDecimal seconds =
                switch (m.group(2)) {
                  case "ms" -> amount.movePointLeft(3);
                  case "m" -> amount.multiply(java.math.BigDecimal.valueOf(60));
                  default -> amount.multiply(java.math.BigDecimal.valueOf(3600));
                };
            field.setValue(
                com.fasterxml.jackson.databind.node.TextNode.valueOf(
                    seconds.stripTrailingZeros().toPlainString() + "s"));
          }
        } else {
          normalizeDurations(v);
        }
      }
    } else if (node.isArray()) {
      node.forEach(RouteSnapshotFiles::normalizeDurations);
    }
  }

  public static RouteSnapshot parse(String text, String source) {
    String json;
    try {
      JsonNode tree = YAML.readTree(text); // YAML is a superset of JSON
      if (tree == null || !tree.isObject()) {
        throw new IllegalArgumentException(
            "routes file " + source + " must hold one object (a RouteSnapshot)");
      }
      normalizeDurations(tree);
      json = JSON.writeValueAsString(tree);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "routes file " + source + " is neither valid YAML nor JSON: " + e.getMessage(), e);
    }
    RouteSnapshot.Builder b = RouteSnapshot.newBuilder();
    try {
      JsonFormat.parser().merge(json, b);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "routes file " + source + " is not a RouteSnapshot: " + e.getMessage(), e);
    }
    return b.build();
  }
}
