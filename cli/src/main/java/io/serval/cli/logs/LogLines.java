package io.serval.cli.logs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The management API's log answer, "{replica id} | {line}" per line, grouped by replica; and the
 * diff between two successive answers, so that {@code logs -f} prints each line once.
 */
public final class LogLines {

  private static final String SEPARATOR = " | ";

  private LogLines() {}

  /** Replica id to its lines, in answer order. Lines without an id go under "". */
  public static Map<String, List<String>> byReplica(String body) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (body == null || body.isEmpty()) {
      return out;
    }
    for (String line : body.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      int sep = line.indexOf(SEPARATOR);
      String id = sep < 0 ? "" : line.substring(0, sep);
      out.computeIfAbsent(id, k -> new ArrayList<>()).add(line);
    }
    return out;
  }

  /**
   * Matches a replica by its full id or by its index, the number its id ends with
   * ({api}-{revision}- {index}); any replica when selector is null.
   */
  public static Predicate<String> replicaFilter(String selector) {
    if (selector == null || selector.isBlank()) {
      return id -> true;
    }
    return id -> id.equals(selector) || id.endsWith("-" + selector);
  }

  /**
   * The lines of current that were not in previous. Both are suffixes of one growing log, taken one
   * after the other (current may reach further back than previous, or not as far): the new lines
   * follow the last place in current where previous ends. Without such a place (the log moved on by
   * more than a whole answer, or was rotated) every line of current is new.
   */
  public static List<String> newLines(List<String> previous, List<String> current) {
    if (previous.isEmpty()) {
      return current;
    }
    for (int i = current.size(); i > 0; i--) {
      int k = Math.min(previous.size(), i);
      if (current
          .subList(i - k, i)
          .equals(previous.subList(previous.size() - k, previous.size()))) {
        return current.subList(i, current.size());
      }
    }
    return current;
  }
}
