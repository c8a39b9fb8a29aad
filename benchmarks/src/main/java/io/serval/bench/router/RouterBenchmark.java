package io.serval.bench.router;

import io.netty.channel.nio.NioEventLoopGroup;
import io.serval.bench.AppCopy;
import io.serval.bench.DurationConverter;
import io.serval.bench.load.ClosedLoopRunner;
import io.serval.bench.load.LoadResult;
import io.serval.bench.load.PathWarmup;
import io.serval.bench.load.Target;
import io.serval.bench.process.PredictorProcess;
import io.serval.bench.report.ResultChart;
import io.serval.bench.report.ResultPoints;
import io.serval.bench.target.GrpcTarget;
import io.serval.bench.target.InProcessModel;
import io.serval.bench.target.RestTarget;
import io.serval.bench.workload.OutputTensor;
import io.serval.bench.workload.Workload;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The router's overhead (issue 4): the tiny add model on one predictor, reached directly, through
 * the router (static routes file) and, for HTTP, through nginx as the reverse-proxy baseline. All
 * paths are warmed, then measured interleaved in rounds at c=1, at about half of the direct path's
 * saturation, and at saturation (c=64), so that compared points see the same machine state.
 *
 * <p>Run: {@code ./mvnw -B -o -pl benchmarks compile exec:exec
 * -Dbench.main=io.serval.bench.router.RouterBenchmark -Dbench.args="--out /tmp/router-bench"};
 * needs nginx ({@code apt-get install -y nginx}) and the predictor-service and router-service
 * builds.
 */
@Command(
    name = "router-benchmark",
    mixinStandardHelpOptions = true,
    description = "Router overhead vs direct and vs nginx (loopback only).")
public final class RouterBenchmark implements Callable<Integer> {
  private static final String HOST = PredictorProcess.HOST;
  private static final String API = "tiny";
  private static final float TOLERANCE = 1e-5f;
  private static final int SATURATION_CONCURRENCY = HalfSaturation.SATURATION;

  @Option(names = "--rounds", description = "Interleaved measurement rounds (default 2).")
  int rounds = 2;

  @Option(
      names = "--warmup",
      converter = DurationConverter.class,
      description = "Unrecorded warm-up per point (default 1s).")
  Duration warmup = Duration.ofSeconds(1);

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description = "Measurement per point (default 4s).")
  Duration duration = Duration.ofSeconds(4);

  @Option(
      names = "--ramp-duration",
      converter = DurationConverter.class,
      description = "Each step of the direct paths' saturation ramp (default 2s).")
  Duration rampDuration = Duration.ofSeconds(2);

  @Option(
      names = "--path-warmup",
      converter = DurationConverter.class,
      description = "Unrecorded load at c=8 per path per warm-up round (default 3s).")
  Duration pathWarmup = Duration.ofSeconds(3);

  @Option(
      names = "--path-warmup-rounds",
      description =
          "Most warm-up rounds; fewer once every path's throughput is within 10% of its previous"
              + " round (default 4).")
  int pathWarmupRounds = 4;

  @Option(
      names = "--max-requests",
      description = "Upper bound on measured requests per point (default 1000000).")
  long maxRequests = 1_000_000;

  @Option(names = "--workers", description = "Predictor workers (default 2).")
  int workers = 2;

  @Option(
      names = "--max-concurrency",
      description = "The API's maxConcurrency in the routes file (default 256).")
  int maxConcurrency = 256;

  @Option(names = "--client-threads", description = "Client event-loop threads (default 2).")
  int clientThreads = 2;

  @Option(names = "--port-base", description = "First of 7 loopback ports used (default 18600).")
  int portBase = 18600;

  @Option(
      names = "--ready-timeout",
      converter = DurationConverter.class,
      description = "How long to wait for each server to become ready (default 120s).")
  Duration readyTimeout = Duration.ofSeconds(120);

  @Option(
      names = "--request-timeout",
      converter = DurationConverter.class,
      description = "A request not answered within this counts as an error (default 30s).")
  Duration requestTimeout = Duration.ofSeconds(30);

  @Option(names = "--nginx", description = "nginx binary (default: nginx on PATH or /usr/sbin).")
  Path nginx;

  @Option(names = "--repo-root", description = "Repository root (default: current directory).")
  Path repoRoot = Path.of("").toAbsolutePath();

  @Option(names = "--predictor-jar", description = "Default: predictor-service quarkus-run.jar.")
  Path predictorJar;

  @Option(names = "--router-jar", description = "Default: router-service quarkus-run.jar.")
  Path routerJar;

  @Option(
      names = "--out",
      description = "Results folder (default: benchmarks/target/results/router-TS).")
  Path out;

  private final ClosedLoopRunner runner = new ClosedLoopRunner();
  private final List<PathPoint> points = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  private final StartedProcesses started = new StartedProcesses();

  public static void main(String[] args) {
    System.exit(new CommandLine(new RouterBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (rounds < 1
        || workers < 1
        || pathWarmupRounds < 1
        || maxConcurrency < SATURATION_CONCURRENCY) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--rounds, --workers, --path-warmup-rounds must be >= 1 and --max-concurrency >= "
              + SATURATION_CONCURRENCY);
    }
    Path nginxBinary = nginx != null ? nginx : ProxyLaunch.find("nginx");
    if (nginxBinary == null) {
      System.err.println(
          "nginx not found on PATH or in /usr/sbin; install it with: apt-get install -y nginx"
              + " (or pass --nginx /path/to/nginx)");
      return 2;
    }
    Path predictor =
        orDefault(predictorJar, "predictor-service/target/quarkus-app/quarkus-run.jar");
    Path router = orDefault(routerJar, "router-service/target/quarkus-app/quarkus-run.jar");
    for (Path jar : List.of(predictor, router)) {
      if (!Files.isRegularFile(jar)) {
        System.err.println(
            "jar not found: " + jar + " (build predictor-service and router-service)");
        return 2;
      }
    }
    Path results =
        out != null
            ? out.toAbsolutePath()
            : repoRoot.resolve(
                "benchmarks/target/results/router-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(results);
    Runtime.getRuntime().addShutdownHook(new Thread(started::stopAll, "stop-children"));
    // Private copies, so that a rebuild during the run cannot pull jars from under the servers.
    predictor = AppCopy.copyQuarkusApp(predictor, results.resolve("predictor-app"));
    router = AppCopy.copyQuarkusApp(router, results.resolve("router-app"));
    NioEventLoopGroup grpcLoops = new NioEventLoopGroup(clientThreads);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(clientThreads));
    String header;
    try {
      Workload workload =
          Workload.named(API, repoRoot.resolve("models"), results.resolve("models"));
      Map<String, Target> targets =
          startAll(workload, predictor, router, nginxBinary, results, grpcLoops, vertx);
      checkAll(workload, targets);
      warmUp(targets);
      int httpHalf = findHalf(targets.get("http/direct"), "http");
      int grpcHalf = findHalf(targets.get("grpc/direct"), "grpc");
      header =
          String.format(
              Locale.ROOT,
              "Router benchmark: tiny add model (FP32 [1,16] x2), one predictor (batching off,"
                  + " %d workers), router maxConcurrency %d; closed loop; %d rounds of %s per point"
                  + " (after %s unrecorded); half = closed-loop concurrency whose direct throughput"
                  + " in the ramp was closest to half of the direct c=%d throughput: http c=%d,"
                  + " grpc c=%d.",
              workers,
              maxConcurrency,
              rounds,
              duration,
              warmup,
              SATURATION_CONCURRENCY,
              httpHalf,
              grpcHalf);
      System.out.println(header);
      for (int round = 1; round <= rounds; round++) {
        for (String load : OverheadReport.LOADS) {
          for (String protocol : List.of("http", "grpc")) {
            int c =
                switch (load) {
                  case "c1" -> 1;
                  case "half" -> protocol.equals("http") ? httpHalf : grpcHalf;
                  default -> SATURATION_CONCURRENCY;
                };
            for (Map.Entry<String, Target> e : targets.entrySet()) {
              String[] key = e.getKey().split("/");
              if (key[0].equals(protocol)) {
                measure(round, protocol, key[1], load, c, e.getValue());
              }
            }
          }
        }
      }
      for (Target target : targets.values()) {
        target.close();
      }
    } catch (IOException e) {
      problems.add(e.getMessage());
      System.out.println("FAILED " + e.getMessage());
      header = "Router benchmark FAILED: " + e.getMessage();
    } finally {
      started.stopAll();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      grpcLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
      AppCopy.delete(results.resolve("predictor-app"));
      AppCopy.delete(results.resolve("router-app"));
    }
    String derived = OverheadReport.render(points);
    if (!problems.isEmpty()) {
      derived += "\nProblems\n- " + String.join("\n- ", problems) + "\n";
    }
    System.out.println();
    System.out.println(OverheadReport.markdown(points));
    System.out.println(derived);
    OverheadReport.write(results, header, points, derived);
    ResultChart.write(
        results.resolve("results.png"),
        "RouterBenchmark (medians over rounds)",
        ResultPoints.parse(OverheadReport.csv(points)));
    System.out.println(
        "written " + results.resolve("results.csv") + ", results.md and results.png");
    return problems.isEmpty() ? 0 : 1;
  }

  private Path orDefault(Path given, String relative) {
    return given != null ? given : repoRoot.resolve(relative);
  }

  /**
   * Starts predictor, router and nginx; answers the targets keyed "protocol/via", in measuring
   * order.
   */
  private Map<String, Target> startAll(
      Workload workload,
      Path predictorJarCopy,
      Path routerJarCopy,
      Path nginxBinary,
      Path results,
      NioEventLoopGroup grpcLoops,
      Vertx vertx)
      throws IOException, InterruptedException {
    int predictorHttp = portBase;
    int predictorGrpc = portBase + 1;
    int routerHttp = portBase + 2;
    int routerGrpc = portBase + 3;
    int nginxPort = portBase + 4;
    // Nothing listens on these: the static routes file replaces the operator, and stats and
    // wake-up calls are switched off, but the addresses must not reach anything real.
    int unusedOperator = portBase + 5;
    int unusedAutoscaler = portBase + 6;
    for (int port = portBase; port <= unusedAutoscaler; port++) {
      requireFree(port);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("model.uri", workload.modelFile().toUri().toString());
    settings.put("model.name", workload.name());
    settings.put("workers", Integer.toString(workers));
    settings.put("threads-per-worker", "1");
    settings.put("batching.max-batch-size", "1");
    Path logs = results.resolve("logs");
    System.out.printf(
        Locale.ROOT, "starting predictor (http %d, grpc %d)%n", predictorHttp, predictorGrpc);
    PredictorProcess predictor =
        PredictorProcess.start(
            predictorJarCopy,
            settings,
            List.of(),
            predictorHttp,
            predictorGrpc,
            logs.resolve("predictor.log"));
    started.track(predictor);
    predictor.awaitReady(readyTimeout);

    Path routes =
        new StaticRoutesFile(
                API,
                workload.name(),
                HOST + ":" + predictorGrpc,
                maxConcurrency,
                1000,
                Duration.ofSeconds(10))
            .write(results.resolve("routes.json"));
    System.out.printf(Locale.ROOT, "starting router (http %d, grpc %d)%n", routerHttp, routerGrpc);
    started.track(
        ProxyLaunch.router(
            routerJarCopy,
            routes,
            routerHttp,
            routerGrpc,
            unusedOperator,
            unusedAutoscaler,
            logs.resolve("router.log"),
            readyTimeout));
    System.out.printf(Locale.ROOT, "starting nginx (port %d)%n", nginxPort);
    started.track(
        ProxyLaunch.nginx(
            nginxBinary,
            results.resolve("nginx"),
            nginxPort,
            predictorHttp,
            logs.resolve("nginx.log"),
            readyTimeout));

    Map<String, Target> targets = new LinkedHashMap<>();
    targets.put("http/direct", rest(workload, predictorHttp, vertx));
    targets.put("http/router", rest(workload, routerHttp, vertx));
    targets.put("http/nginx", rest(workload, nginxPort, vertx));
    targets.put(
        "grpc/direct", new GrpcTarget(workload, HOST, predictorGrpc, requestTimeout, grpcLoops));
    targets.put(
        "grpc/router", new GrpcTarget(workload, HOST, routerGrpc, requestTimeout, grpcLoops));
    return targets;
  }

  private RestTarget rest(Workload workload, int port, Vertx vertx) {
    return new RestTarget(
        workload, HOST, port, false, SATURATION_CONCURRENCY, requestTimeout, vertx);
  }

  private static void requireFree(int port) throws IOException {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new IOException("port " + port + " on " + HOST + " is in use; pick --port-base", e);
    }
  }

  /** Every path must answer the right sum before its latency means anything. */
  private void checkAll(Workload workload, Map<String, Target> targets) throws Exception {
    OutputTensor reference;
    try (InProcessModel model = new InProcessModel(workload, 1, 1)) {
      reference = model.referenceOutput();
    }
    for (Map.Entry<String, Target> e : targets.entrySet()) {
      String mismatch;
      try {
        OutputTensor got =
            e.getValue() instanceof GrpcTarget grpc
                ? grpc.fetchOutput()
                : ((RestTarget) e.getValue()).fetchOutput();
        mismatch = reference.mismatch(got, TOLERANCE);
      } catch (Exception failure) {
        mismatch = "probe failed: " + ClosedLoopRunner.describe(failure);
      }
      if (mismatch != null) {
        throw new IOException("check of " + e.getKey() + " failed: " + mismatch);
      }
    }
  }

  /** Rounds of load on every path until no path's throughput moved by more than 10%. */
  private void warmUp(Map<String, Target> targets) throws InterruptedException {
    PathWarmup.untilSettled(runner, targets, 8, pathWarmup, pathWarmupRounds, maxRequests);
  }

  /** Ramps the direct path up to c=64 and answers the concurrency nearest half its throughput. */
  private int findHalf(Target direct, String protocol) throws IOException, InterruptedException {
    Map<Integer, Double> ramp =
        HalfSaturation.ramp(
            c ->
                runner
                    .run(direct, c, Duration.ofMillis(500), rampDuration, maxRequests)
                    .throughput());
    StringBuilder line = new StringBuilder();
    ramp.forEach((c, rps) -> line.append(String.format(Locale.ROOT, " c=%d %.0f", c, rps)));
    int half = HalfSaturation.pick(ramp, ramp.get(SATURATION_CONCURRENCY));
    System.out.printf(
        Locale.ROOT, "ramp %s direct (req/s):%s -> half at c=%d%n", protocol, line, half);
    return half;
  }

  private void measure(int round, String protocol, String via, String load, int c, Target target)
      throws InterruptedException {
    LoadResult result = runner.run(target, c, warmup, duration, maxRequests);
    points.add(new PathPoint(round, protocol, via, load, c, result));
    System.out.printf(
        Locale.ROOT,
        "round %d %-4s %-6s %-4s c=%-3d %9.1f req/s  p50 %7.0f µs  p99 %7.0f µs  errors %d%s%n",
        round,
        protocol,
        via,
        load,
        c,
        result.throughput(),
        result.p50Micros(),
        result.p99Micros(),
        result.errors(),
        result.firstError() == null ? "" : " (" + result.firstError() + ")");
    if (result.errors() > 0) {
      problems.add(
          String.format(
              Locale.ROOT,
              "round %d %s %s %s c=%d: %d errors, first: %s",
              round,
              protocol,
              via,
              load,
              c,
              result.errors(),
              result.firstError()));
    }
  }
}
