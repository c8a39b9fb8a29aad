package io.serval.cli.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where each field of a spec file is: maps the management API's problems ("{resource}: {field
 * path}: {what is wrong}", the resource being its name or "document N") to a line of the file.
 */
public final class SpecLines {

  private static final YAMLFactory YAML = new YAMLFactory();

  private record Document(int startLine, Map<String, Integer> lines, String name) {}

  private final List<Document> documents;

  private SpecLines(List<Document> documents) {
    this.documents = documents;
  }

  /** Never fails: text it cannot parse maps no problem to a line. */
  public static SpecLines of(String text) {
    List<Document> docs = new ArrayList<>();
    try (JsonParser p = YAML.createParser(text)) {
      while (p.nextToken() != null) {
        if (p.currentToken() == JsonToken.START_ARRAY) {
          // a JSON array of resources: each element counts as a document, as the operator counts
          while (p.nextToken() != JsonToken.END_ARRAY) {
            docs.add(document(p));
          }
        } else {
          docs.add(document(p));
        }
      }
    } catch (IOException | RuntimeException e) {
      // keep the documents read so far
    }
    return new SpecLines(docs);
  }

  private static Document document(JsonParser p) throws IOException {
    Map<String, Integer> lines = new HashMap<>();
    String[] name = {null};
    int start = p.currentTokenLocation().getLineNr();
    value(p, "", lines, name);
    return new Document(start, lines, name[0]);
  }

  private static void value(JsonParser p, String path, Map<String, Integer> lines, String[] name)
      throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        String child = path.isEmpty() ? field : path + "." + field;
        lines.putIfAbsent(child, p.currentTokenLocation().getLineNr());
        p.nextToken();
        value(p, child, lines, name);
      }
    } else if (t == JsonToken.START_ARRAY) {
      int i = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        String child = path + "[" + i++ + "]";
        lines.putIfAbsent(child, p.currentTokenLocation().getLineNr());
        value(p, child, lines, name);
      }
    } else if (path.equals("metadata.name") && t == JsonToken.VALUE_STRING) {
      name[0] = p.getText();
    }
  }

  /**
   * The line a problem points at: its field, else the nearest enclosing field, else its document.
   */
  public OptionalInt lineOf(String problem) {
    String[] parts = problem.split(": ", 3);
    if (parts.length < 2) {
      return OptionalInt.empty();
    }
    String label = parts[0];
    String path = parts[1];
    for (Document d : candidates(label)) {
      Optional<Integer> line = nearest(d, path);
      if (line.isPresent()) {
        return OptionalInt.of(line.get());
      }
    }
    List<Document> c = candidates(label);
    return c.isEmpty() ? OptionalInt.empty() : OptionalInt.of(c.getFirst().startLine());
  }

  private List<Document> candidates(String label) {
    if (label.startsWith("document ")) {
      try {
        int n = Integer.parseInt(label.substring("document ".length()).trim());
        return n >= 1 && n <= documents.size() ? List.of(documents.get(n - 1)) : List.of();
      } catch (NumberFormatException e) {
        return List.of();
      }
    }
    return documents.stream().filter(d -> label.equals(d.name())).toList();
  }

  private static Optional<Integer> nearest(Document d, String path) {
    String p = path;
    while (!p.isEmpty()) {
      Integer line = d.lines().get(p);
      if (line != null) {
        return Optional.of(line);
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? "" : p.substring(0, cut);
    }
    return Optional.empty();
  }
}
