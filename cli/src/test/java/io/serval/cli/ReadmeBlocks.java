package io.serval.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fenced {@code ```bash} blocks of a Markdown file, each with the HTML comment right above it
 * (if any), and the one way the README tests move them onto shifted ports.
 */
final class ReadmeBlocks {

  private ReadmeBlocks() {}

  /**
   * @param line 1-based line of the opening fence
   * @param code the block's text, lines joined with \n
   * @param marker the text of an HTML comment on the nearest non-blank line above the fence
   */
  record Block(int line, String code, Optional<String> marker) {

    /**
     * The reason after {@code run by .ci/run:}, when the marker says so: the block's commands run
     * in CI's own script (they need root or podman), not here.
     */
    Optional<String> ciRunReason() {
      return marker
          .filter(m -> m.startsWith("run by .ci/run:"))
          .map(m -> m.substring("run by .ci/run:".length()).trim());
    }

    /** The reason after {@code not run:}, when the marker says so. */
    Optional<String> notRunReason() {
      return marker.filter(m -> m.startsWith("not run:")).map(m -> m.substring(8).trim());
    }

    /** The URL after {@code runs in the background until ready:}, when the marker says so. */
    Optional<String> backgroundReadyUrl() {
      String prefix = "runs in the background until ready:";
      return marker.filter(m -> m.startsWith(prefix)).map(m -> m.substring(prefix.length()).trim());
    }
  }

  private static final Pattern COMMENT = Pattern.compile("^\\s*<!--\\s*(.*?)\\s*-->\\s*$");

  /** Every {@code ```bash} block, in order; other fences (yaml, output) are skipped whole. */
  static List<Block> parse(String markdown) {
    List<Block> blocks = new ArrayList<>();
    String[] lines = markdown.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String fence = lines[i].strip();
      if (!fence.startsWith("```")) {
        continue;
      }
      String language = fence.substring(3).strip();
      int open = i;
      StringBuilder code = new StringBuilder();
      for (i = i + 1; i < lines.length && !lines[i].strip().equals("```"); i++) {
        code.append(lines[i]).append('\n');
      }
      if (i == lines.length) {
        throw new IllegalArgumentException(
            "the fence opened on line " + (open + 1) + " is never closed");
      }
      if (language.equals("bash")) {
        blocks.add(new Block(open + 1, code.toString(), markerAbove(lines, open)));
      }
    }
    return blocks;
  }

  private static Optional<String> markerAbove(String[] lines, int fence) {
    for (int j = fence - 1; j >= 0; j--) {
      if (lines[j].isBlank()) {
        continue;
      }
      Matcher m = COMMENT.matcher(lines[j]);
      return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
    return Optional.empty();
  }

  private static final Pattern LOCAL_PORT = Pattern.compile("localhost:(80\\d\\d)\\b");
  private static final Pattern SERVAL_UP = Pattern.compile("(^|\\s)\\./serval up\\b");
  private static final Pattern PREDICTOR = Pattern.compile("(^|\\s)\\./predictor(?=\\s)");

  /**
   * The README's commands on ports shifted by offset, so that they never meet a developer's own
   * platform or another test: {@code localhost:80xx} becomes {@code localhost:(80xx + offset)};
   * {@code ./serval up} gets {@code --port-offset offset} (later verbs find the ports in
   * platform.json); {@code ./predictor} gets {@code --http-port} and {@code --grpc-port} of its
   * defaults (8000, 8001) plus offset. Nothing else changes.
   */
  static String shift(String code, int offset) {
    String s =
        LOCAL_PORT
            .matcher(code)
            .replaceAll(m -> "localhost:" + (Integer.parseInt(m.group(1)) + offset));
    s = SERVAL_UP.matcher(s).replaceAll(m -> m.group(1) + "./serval up --port-offset " + offset);
    return PREDICTOR
        .matcher(s)
        .replaceAll(
            m ->
                m.group(1)
                    + "./predictor --http-port "
                    + (8000 + offset)
                    + " --grpc-port "
                    + (8001 + offset));
  }
}
