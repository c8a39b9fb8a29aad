package io.serval.operator.runtime.local.logs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

/** The last lines of a log file, without holding more than those lines in memory. */
public final class LogTail {

  private LogTail() {}

  public static List<String> last(Path file, int lines) {
    if (!Files.exists(file)) {
      return List.of();
    }
    Deque<String> tail = new ArrayDeque<>(lines);
    try (Stream<String> all = Files.lines(file, StandardCharsets.UTF_8)) {
      all.forEach(
          l -> {
            if (tail.size() == lines) {
              tail.removeFirst();
            }
            tail.addLast(l);
          });
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
    }
    return new ArrayList<>(tail);
  }
}
