package io.serval.bench.router;

import io.serval.bench.process.PredictorProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts what the router harnesses put in front of a predictor: a router, or nginx. */
final class ProxyLaunch {
  private static final String HOST = PredictorProcess.HOST;

  private ProxyLaunch() {}

  /**
   * A router on a static routes file. Nothing listens on {@code unusedOperator} and {@code
   * unusedAutoscaler}: stats and wake-up calls are off, but the addresses must not reach anything.
   */
  static ChildProcess router(
      Path jar,
      Path routes,
      int httpPort,
      int grpcPort,
      int unusedOperator,
      int unusedAutoscaler,
      Path log,
      Duration readyTimeout)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dserval.router.routes-file=" + routes);
    command.add("-Dserval.router.stats-enabled=false");
    command.add("-Dserval.router.wake-up.enabled=false");
    command.add("-Dserval.router.operator-address=" + HOST + ":" + unusedOperator);
    command.add("-Dserval.router.autoscaler-address=" + HOST + ":" + unusedAutoscaler);
    command.add("-Dquarkus.http.host=" + HOST);
    command.add("-Dquarkus.http.port=" + httpPort);
    command.add("-Dquarkus.grpc.server.host=" + HOST);
    command.add("-Dquarkus.grpc.server.port=" + grpcPort);
    command.add("-jar");
    command.add(jar.toString());
    ChildProcess router = ChildProcess.start("router", command, log);
    try {
      router.awaitReady(readyUrl(httpPort), readyTimeout);
    } catch (IOException | InterruptedException e) {
      router.close();
      throw e;
    }
    return router;
  }

  /** nginx as an HTTP/1.1 reverse proxy (keepalive 64) to {@code upstreamPort}. */
  static ChildProcess nginx(
      Path binary, Path dir, int port, int upstreamPort, Path log, Duration readyTimeout)
      throws IOException, InterruptedException {
    NginxConfig config = new NginxConfig(dir, port, upstreamPort, 64);
    Path conf = config.write();
    ChildProcess nginx =
        ChildProcess.start(
            "nginx",
            List.of(
                binary.toString(),
                "-e",
                config.errorLog().toString(),
                "-c",
                conf.toString(),
                "-p",
                config.prefix().toString()),
            log);
    try {
      nginx.awaitReady(readyUrl(port), readyTimeout);
    } catch (IOException | InterruptedException e) {
      nginx.close();
      throw e;
    }
    return nginx;
  }

  static URI readyUrl(int port) {
    return URI.create("http://" + HOST + ":" + port + "/v2/health/ready");
  }

  /** An executable named {@code name} on PATH or in /usr/sbin and /usr/bin, or null. */
  static Path find(String name) {
    List<Path> candidates = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir, name));
      }
    }
    candidates.add(Path.of("/usr/sbin", name));
    candidates.add(Path.of("/usr/bin", name));
    return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
  }
}
