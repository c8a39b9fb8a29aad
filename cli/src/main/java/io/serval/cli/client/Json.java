package io.serval.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The JSON and YAML mappers of the CLI. */
public final class Json {

  private Json() {}

  public static final ObjectMapper MAPPER = JsonMapper.builder().build();

  /**
   * Built on first use (holder idiom): YAML output and pretty JSON are for -o yaml|json only, and
   * the YAML mapper (SnakeYAML behind it) costs every other command its start time.
   */
  private static final class Pretty {
    static final ObjectMapper MAPPER =
        JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  }

  private static final class Yaml {
    static final ObjectMapper MAPPER =
        new ObjectMapper(
            YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .build());
  }

  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String pretty(JsonNode node) {
    try {
      return Pretty.MAPPER.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String yaml(JsonNode node) {
    try {
      return Yaml.MAPPER.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text at path (a.b.c), or fallback when any step is missing or null. */
  public static String text(JsonNode node, String path, String fallback) {
    JsonNode n = at(node, path);
    return n.isMissingNode() || n.isNull() ? fallback : n.asText();
  }

  public static JsonNode at(JsonNode node, String path) {
    JsonNode n = node;
    for (String part : path.split("\\.")) {
      n = n == null ? null : n.path(part);
    }
    return n == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : n;
  }
}
