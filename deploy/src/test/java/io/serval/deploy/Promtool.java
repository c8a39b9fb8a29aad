package io.serval.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus's promtool (Debian's {@code prometheus} package; .ci/run installs it). Missing, it
 * fails the test where {@code CI} is set and skips it elsewhere with the reason printed: a
 * developer without it still builds, CI never silently passes.
 */
final class Promtool {
  static final Path MONITORING = Helm.DEPLOY.resolve("monitoring");
  private static final long TIMEOUT_SECONDS = 120;

  private Promtool() {}

  /** promtool's path; fails (CI) or skips the calling test when there is none. */
  static Path require() {
    Optional<Path> found =
        Optional.ofNullable(System.getProperty("serval.promtool"))
            .map(Path::of)
            .or(() -> onPath("promtool"));
    if (found.isPresent() && Files.isExecutable(found.get())) {
      return found.get();
    }
    String why =
        "promtool is not installed (apt-get install prometheus, or -Dserval.promtool=PATH): the"
            + " alert rules and dashboard queries are not checked";
    if (System.getenv("CI") != null) {
      fail(why + ", and CI is set");
    }
    System.out.println("SKIPPED: " + why);
    Assumptions.abort(why);
    return null;
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Runs promtool in the monitoring directory; returns its output, fails on a non-zero exit. */
  static String run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(require().toString());
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("promtool", ".out");
      try {
        Process p =
            new ProcessBuilder(command)
                .directory(MONITORING.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          fail(String.join(" ", command) + " took over " + TIMEOUT_SECONDS + "s");
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
          fail(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + text);
        }
        return text;
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
