package io.serval.operator.runtime.local.process;

import io.serval.operator.runtime.local.logs.ReplicaLogs;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a replica's process with its output appended to the replica's log (rotated and marked
 * first by {@link ReplicaLogs}) and no input.
 */
public final class ProcessLauncher {

  private final ReplicaLogs logs;
  private final Path workingDir;

  public ProcessLauncher(ReplicaLogs logs, Path workingDir) {
    this.logs = logs;
    this.workingDir = workingDir;
  }

  /**
   * @param command the predictor's command; with {@code javaCrashReports} its first element is the
   *     java launcher, and the JVM's crash report is sent beside the replica's log
   * @param environment added to this process's environment
   */
  public ChildProcess start(
      String api,
      String replicaId,
      String revision,
      List<String> command,
      Map<String, String> environment,
      boolean javaCrashReports,
      Instant now)
      throws IOException {
    Path log = logs.beginRun(api, replicaId, revision, now);
    List<String> cmd = new ArrayList<>(command);
    if (javaCrashReports) {
      // A JVM killed by native code (ONNX Runtime's SIGFPE) writes its crash report next to the
      // replica's log, not into the working directory (the repository root under serval up).
      cmd.add(1, "-XX:ErrorFile=" + logs.crashReports(api, replicaId));
    }
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(workingDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().putAll(environment);
    return ChildProcess.started(pb.start(), now, log);
  }
}
