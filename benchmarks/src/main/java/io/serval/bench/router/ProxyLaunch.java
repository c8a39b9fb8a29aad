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
public final class ProxyLaunch {
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
    return router(
        jar,
        routes,
        httpPort,
        grpcPort,
        unusedOperator,
        unusedAutoscaler,
        List.of(),
        log,
        readyTimeout);
  }

  /**
   * @param extra more settings of this router, as {@code key=value} (-D), e.g. its OTLP endpoint
   */
  public static ChildProcess router(
      Path jar,
      Path routes,
      int httpPort,
      int grpcPort,
      int unusedOperator,
      int unusedAutoscaler,
      List<String> extra,
      Path log,
      Duration readyTimeout)
      throws IOException, InterruptedException {
    return router(
        jar,
        routes,
        httpPort,
        grpcPort,
        unusedOperator,
        unusedAutoscaler,
        List.of(),
        extra,
        log,
        readyTimeout);
  }

  /**
   * @param jvmArgs JVM options of this router, e.g. a profiling agent
   * @param extra more settings of this router, as {@code key=value} (-D)
   */
  public static ChildProcess router(
      Path jar,
      Path routes,
      int httpPort,
      int grpcPort,
      int unusedOperator,
      int unusedAutoscaler,
      List<String> jvmArgs,
      List<String> extra,
      Path log,
      Duration readyTimeout)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    for (String setting : extra) {
      command.add("-D" + setting);
    }
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
    return ready(ChildProcess.start("router", command, log), httpPort, readyTimeout);
  }

  /** {@link LeanProxy} on {@code port}, forwarding to the predictor's gRPC port. */
  static ChildProcess leanProxy(
      int port, int predictorGrpcPort, int eventLoops, Path log, Duration readyTimeout)
      throws IOException, InterruptedException {
    return ready(
        ChildProcess.start(
            "lean-proxy",
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LeanProxy.class.getName(),
                Integer.toString(port),
                Integer.toString(predictorGrpcPort),
                Integer.toString(eventLoops)),
            log),
        port,
        readyTimeout);
  }

  /** nginx as an HTTP/1.1 reverse proxy (keepalive 64) to {@code upstreamPort}. */
  static ChildProcess nginx(
      Path binary, Path dir, int port, int upstreamPort, Path log, Duration readyTimeout)
      throws IOException, InterruptedException {
    NginxConfig config = new NginxConfig(dir, port, upstreamPort, 64);
    Path conf = config.write();
    return ready(
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
            log),
        port,
        readyTimeout);
  }

  /** {@code child} once it answers its readiness check; stopped if it does not in time. */
  private static ChildProcess ready(ChildProcess child, int port, Duration timeout)
      throws IOException, InterruptedException {
    try {
      child.awaitReady(readyUrl(port), timeout);
    } catch (IOException | InterruptedException e) {
      child.close();
      throw e;
    }
    return child;
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
