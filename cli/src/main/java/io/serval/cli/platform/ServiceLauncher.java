package io.serval.cli.platform;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starts a service as a background JVM that outlives the CLI: output appended to its log, no stdin,
 * and in a session of its own (setsid) so that a Ctrl-C in the terminal that ran {@code serval up}
 * does not reach it.
 */
public final class ServiceLauncher {

  /**
   * What ONNX Runtime and JBoss threads need; scripts/jdk.sh exports the same as SERVAL_JVM_FLAGS.
   */
  static final String DEFAULT_JVM_FLAGS =
      "--enable-native-access=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED";

  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private final String java;
  private final List<String> jvmFlags;
  private final Path workingDir;

  public ServiceLauncher(String java, List<String> jvmFlags, Path workingDir) {
    this.java = java;
    this.jvmFlags = List.copyOf(jvmFlags);
    this.workingDir = workingDir;
  }

  /** The JDK running this CLI, with $SERVAL_JVM_FLAGS (or the flags the services need). */
  public static ServiceLauncher current(Path workingDir) {
    String flags = System.getenv("SERVAL_JVM_FLAGS");
    if (flags == null || flags.isBlank()) {
      flags = DEFAULT_JVM_FLAGS;
    }
    return new ServiceLauncher(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        Arrays.stream(flags.trim().split("\\s+")).toList(),
        workingDir);
  }

  public String java() {
    return java;
  }

  public List<String> command(ServiceSpec spec) {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      cmd.add(SETSID.toString());
    }
    cmd.add(java);
    cmd.addAll(jvmFlags);
    spec.properties().forEach(p -> cmd.add("-D" + p));
    cmd.add("-jar");
    cmd.add(spec.jar().toString());
    return cmd;
  }

  public ProcessHandle start(ServiceSpec spec, Path log) {
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "---- serval up: starting " + spec.name() + " at " + Instant.now() + " ----\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder pb =
          new ProcessBuilder(command(spec))
              .directory(workingDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(spec.environment());
      Process p = pb.start();
      return p.toHandle();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + spec.name() + ": " + e.getMessage(), e);
    }
  }
}
