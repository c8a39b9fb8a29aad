package io.serval.it.platform;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One packaged service running as its own JVM: started from its quarkus-run.jar with -D settings,
 * output appended to a log file, ready when /q/health/ready answers 200.
 */
public final class ServiceProcess {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String name;
  private final List<String> command;
  private final Path log;
  private final Path workingDir;
  private final int httpPort;
  private volatile Process process;

  private ServiceProcess(
      String name, List<String> command, Path log, Path workingDir, int httpPort) {
    this.name = name;
    this.command = command;
    this.log = log;
    this.workingDir = workingDir;
    this.httpPort = httpPort;
  }

  /**
   * @param jvmOptions options before -jar
   * @param properties -D settings; quarkus.http.port must be among them
   */
  public static ServiceProcess start(
      String name,
      Path jar,
      List<String> jvmOptions,
      Map<String, String> properties,
      Path workingDir,
      Path log) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-jar");
    cmd.add(jar.toString());
    ServiceProcess s =
        new ServiceProcess(
            name,
            List.copyOf(cmd),
            log,
            workingDir,
            Integer.parseInt(properties.get("quarkus.http.port")));
    s.launch();
    return s;
  }

  /** Starts the same command again (after {@link #kill()} or {@link #stop()}). */
  public void restart() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is still running (pid " + process.pid() + ")");
    }
    launch();
  }

  private void launch() {
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "---- start " + String.join(" ", command) + "\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      process =
          new ProcessBuilder(command)
              .directory(workingDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
    }
    ProcessTree.track(process.toHandle());
  }

  /** Waits for /q/health/ready = 200; fails with the log's tail if it dies or takes too long. */
  public void awaitReady(Duration max) {
    try {
      await(name + " ready on :" + httpPort)
          .atMost(max)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new AssertionError(
                      name + " exited with code " + process.exitValue() + ":\n" + logTail(40));
                }
                return ready();
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          name + " not ready within " + max + " (log " + log + "):\n" + logTail(40), e);
    }
  }

  public boolean ready() {
    try {
      HttpResponse<Void> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGTERM, then (after {@code grace}) SIGKILL of whatever of its tree is left. */
  public void stop(Duration grace) {
    Process p = process;
    if (p == null) {
      return;
    }
    List<ProcessHandle> tree = new ArrayList<>(p.toHandle().descendants().toList());
    p.destroy();
    List<ProcessHandle> left = ProcessTree.awaitExit(List.of(p.toHandle()), grace);
    if (!left.isEmpty()) {
      tree.addAll(p.toHandle().descendants().toList());
    }
    ProcessTree.killTree(p.toHandle());
    tree.forEach(ProcessHandle::destroyForcibly);
    ProcessTree.awaitExit(tree, Duration.ofSeconds(10));
  }

  /** SIGKILL of this process alone: its children stay, as after a crash. */
  public void kill() {
    Process p = process;
    p.destroyForcibly();
    ProcessTree.awaitExit(List.of(p.toHandle()), Duration.ofSeconds(10));
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public ProcessHandle handle() {
    return process.toHandle();
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }
}
