package io.serval.bench.router;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A server started by the harness as a child process (the router JVM, nginx), its output in a log
 * file, ready once an HTTP URL answers 200, stopped by PID.
 */
public final class ChildProcess implements AutoCloseable {
  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  public static ChildProcess start(String name, List<String> command, Path log) throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    Files.writeString(log, String.join(" ", command) + System.lineSeparator());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new ChildProcess(name, process, log);
  }

  /** Polls {@code url} until it answers 200, the process dies, or the deadline passes. */
  public void awaitReady(URI url, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build();
      while (true) {
        if (!process.isAlive()) {
          throw new IOException(
              name + " exited with status " + process.exitValue() + " before ready; log " + log);
        }
        try {
          if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return;
          }
        } catch (IOException notYetListening) {
          // keep polling until the deadline
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(
              name + " not ready on " + url + " within " + timeout + "; log " + log);
        }
        LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    }
  }

  public long pid() {
    return process.pid();
  }

  /** SIGTERM, then SIGKILL after a grace period. */
  @Override
  public void close() {
    ProcessHandle handle = process.toHandle();
    handle.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
        handle.destroyForcibly();
        process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      handle.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
