package io.serval.operator.runtime.local.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The replicas' output files: {dir}/{api}/{replica}.log (rotated to .log.1 above 10 MiB when the
 * replica starts, each run opened by a start marker) and the JVM crash reports beside them
 * ({replica}-crash-pid{pid}.txt, the newest three kept).
 */
public final class ReplicaLogs {

  private static final Logger LOG = Logger.getLogger(ReplicaLogs.class);

  /** Rotate a replica log above this size when the replica (re)starts. */
  private static final long MAX_LOG_BYTES = 10L << 20;

  /** JVM crash reports of a replica: {id}-crash-pid{pid}.txt beside its log. */
  private static final String CRASH_REPORT = "-crash-pid";

  private static final int CRASH_REPORTS_KEPT = 3;

  /** Written to a replica's log before each start. */
  public static final String START_MARKER = "--- serval: starting replica ";

  /** Lines at the end of a dead replica's log searched for a JVM fatal-error report. */
  private static final int CRASH_REPORT_LINES = 400;

  private final Path dir;

  /**
   * @param dir where the replicas' logs are kept ({state-dir}/replicas)
   */
  public ReplicaLogs(Path dir) {
    this.dir = dir;
  }

  public Path file(String api, String replicaId) {
    return dir.resolve(api).resolve(replicaId + ".log");
  }

  /**
   * Readies a replica's log for a new run: rotates it when large, then appends the start marker.
   *
   * @return the log, for the process's output to be appended to
   */
  public Path beginRun(String api, String replicaId, String revision, Instant now)
      throws IOException {
    Path log = file(api, replicaId);
    Files.createDirectories(log.getParent());
    if (Files.exists(log) && Files.size(log) > MAX_LOG_BYTES) {
      Files.move(
          log, log.resolveSibling(replicaId + ".log.1"), StandardCopyOption.REPLACE_EXISTING);
    }
    // Marks where this run's output begins: a crash report above it belongs to an earlier run.
    Files.writeString(
        log,
        START_MARKER + replicaId + " (revision " + revision + ") at " + now + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    return log;
  }

  /**
   * Where a replica JVM writes its crash report (-XX:ErrorFile; %p stands for the pid), after the
   * older reports beyond the newest {@link #CRASH_REPORTS_KEPT} are deleted.
   */
  public Path crashReports(String api, String replicaId) {
    Path apiDir = file(api, replicaId).getParent();
    pruneCrashReports(apiDir, replicaId);
    return apiDir.resolve(replicaId + CRASH_REPORT + "%p.txt");
  }

  /** The end of a log's latest run: where a dead JVM's fatal-error report would be. */
  public static List<String> lastRun(Path log) {
    return sinceLastStart(LogTail.last(log, CRASH_REPORT_LINES));
  }

  /** The last {@code lines} lines of all of an API's replica logs, each prefixed by its replica. */
  public List<String> tail(String api, int lines) {
    Path apiDir = dir.resolve(api);
    if (!Files.isDirectory(apiDir)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    try (var files = Files.list(apiDir)) {
      for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        String id = log.getFileName().toString().replaceFirst("\\.log$", "");
        LogTail.last(log, lines).forEach(l -> out.add(id + " | " + l));
      }
    } catch (IOException e) {
      return List.of("(cannot list " + apiDir + ": " + e.getMessage() + ")");
    }
    return out.size() > lines ? out.subList(out.size() - lines, out.size()) : out;
  }

  /** The lines of the replica's latest run (after the last start marker). */
  public static List<String> sinceLastStart(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith(START_MARKER)) {
        return lines.subList(i + 1, lines.size());
      }
    }
    return lines;
  }

  /** Keeps the newest {@link #CRASH_REPORTS_KEPT} JVM crash reports of a replica. */
  private static void pruneCrashReports(Path apiDir, String replicaId) {
    String prefix = replicaId + CRASH_REPORT;
    try (var files = Files.list(apiDir)) {
      List<Path> reports =
          files
              .filter(f -> f.getFileName().toString().startsWith(prefix))
              .sorted(Comparator.comparing(ReplicaLogs::modified).reversed())
              .toList();
      for (Path old :
          reports.subList(Math.min(CRASH_REPORTS_KEPT, reports.size()), reports.size())) {
        Files.deleteIfExists(old);
      }
    } catch (IOException e) {
      LOG.debugf("cannot prune crash reports in %s: %s", apiDir, e.getMessage());
    }
  }

  private static FileTime modified(Path f) {
    try {
      return Files.getLastModifiedTime(f);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
