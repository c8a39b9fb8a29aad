package io.serval.bench.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A predictor-service JVM started as a child process for one benchmark configuration, bound to
 * loopback, with its output in a log file; stopped by PID.
 */
public final class PredictorProcess implements AutoCloseable {
  public static final String HOST = "127.0.0.1";

  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  private final Process process;
  private final int httpPort;
  private final int grpcPort;
  private final Path log;

  private PredictorProcess(Process process, int httpPort, int grpcPort, Path log) {
    this.process = process;
    this.httpPort = httpPort;
    this.grpcPort = grpcPort;
    this.log = log;
  }

  /**
   * Starts the predictor jar with the given {@code serval.predictor.*} settings (keys without the
   * prefix, e.g. {@code model.uri}) and extra JVM options (profiling agents).
   */
  public static PredictorProcess start(
      Path jar,
      Map<String, String> settings,
      List<String> jvmArgs,
      int httpPort,
      int grpcPort,
      Path log)
      throws IOException {
    requireFree(httpPort);
    requireFree(grpcPort);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("--add-opens");
    command.add("java.base/java.lang=ALL-UNNAMED");
    command.addAll(jvmArgs);
    settings.forEach((key, value) -> command.add("-Dserval.predictor." + key + "=" + value));
    String uri = settings.getOrDefault("model.uri", "");
    if (uri.startsWith("file:") && !settings.containsKey("model-fetch.file-roots")) {
      // the predictor loads file: models only under its model roots: allow the model's directory
      Path model = uri.startsWith("file://") ? Path.of(URI.create(uri)) : Path.of(uri.substring(5));
      command.add("-Dserval.predictor.model-fetch.file-roots=" + model.toRealPath().getParent());
    }
    command.add("-Dquarkus.http.host=" + HOST);
    command.add("-Dquarkus.http.port=" + httpPort);
    command.add("-Dquarkus.grpc.server.host=" + HOST);
    command.add("-Dquarkus.grpc.server.port=" + grpcPort);
    command.add("-jar");
    command.add(jar.toString());
    Files.createDirectories(log.getParent());
    Files.writeString(log, String.join(" ", command) + System.lineSeparator());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new PredictorProcess(process, httpPort, grpcPort, log);
  }

  private static void requireFree(int port) throws IOException {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new IOException("port " + port + " on " + HOST + " is in use; pick --port-base", e);
    }
  }

  /** Polls {@code GET /v2/health/ready} until it answers 200, the process dies, or the deadline. */
  public void awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    URI ready = URI.create("http://" + HOST + ":" + httpPort + "/v2/health/ready");
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpRequest request = HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build();
      while (true) {
        if (!process.isAlive()) {
          throw new IOException(
              "predictor exited with status " + process.exitValue() + " before ready; log " + log);
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
              "predictor not ready on " + ready + " within " + timeout + "; log " + log);
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

  public int httpPort() {
    return httpPort;
  }

  public int grpcPort() {
    return grpcPort;
  }

  /** Stops the process by PID: SIGTERM, then SIGKILL after a grace period. */
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
