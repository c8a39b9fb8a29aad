package io.serval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's spec reference and docs/spec-reference.md carry the same field tables (every
 * RealtimeApi and TrafficSplitter field with its default), so that neither drifts from the other.
 */
class SpecReferenceTest {

  static final Path ROOT = Path.of(System.getProperty("serval.root", "..")).toAbsolutePath();

  /** The rows of the field tables: lines under a "| field | default |" header. */
  static List<String> fieldRows(Path markdown) throws IOException {
    List<String> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : Files.readAllLines(markdown)) {
      if (line.startsWith("| field | default |")) {
        inTable = true;
      } else if (!line.startsWith("|")) {
        inTable = false;
      } else if (inTable && !line.startsWith("|---")) {
        rows.add(line);
      }
    }
    return rows;
  }

  @Test
  void theReadmeAndTheSpecReferenceListTheSameFields() throws IOException {
    List<String> readme = fieldRows(ROOT.resolve("README.md"));
    List<String> reference = fieldRows(ROOT.resolve("docs/spec-reference.md"));

    assertThat(readme).as("field rows of README.md").hasSizeGreaterThan(30);
    assertThat(readme).containsExactlyElementsOf(reference);
    assertThat(readme)
        .anyMatch(r -> r.startsWith("| `maxConcurrency` |"))
        .anyMatch(r -> r.startsWith("| `spec.apis[].shadow` |"));
  }
}
