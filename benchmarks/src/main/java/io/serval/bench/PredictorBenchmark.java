package io.serval.bench;

import io.netty.channel.nio.NioEventLoopGroup;
import io.serval.bench.load.ClosedLoopRunner;
import io.serval.bench.load.LoadResult;
import io.serval.bench.load.PathWarmup;
import io.serval.bench.load.Target;
import io.serval.bench.process.PredictorMode;
import io.serval.bench.process.PredictorProcess;
import io.serval.bench.process.ProcessCpu;
import io.serval.bench.report.CpuRatios;
import io.serval.bench.report.ResultChart;
import io.serval.bench.report.ResultPoints;
import io.serval.bench.report.ResultRow;
import io.serval.bench.report.ResultTable;
import io.serval.bench.report.Summary;
import io.serval.bench.target.GrpcTarget;
import io.serval.bench.target.InProcessBatchTarget;
import io.serval.bench.target.InProcessModel;
import io.serval.bench.target.InProcessTarget;
import io.serval.bench.target.RestTarget;
import io.serval.bench.workload.OutputTensor;
import io.serval.bench.workload.Workload;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
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
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the predictor against in-process ONNX Runtime: for each model, the in-process limit,
 * then the predictor (started here as a child JVM, batching off and on) over gRPC and REST, at each
 * concurrency. Prints a table and the ratios the performance targets are stated in.
 */
@Command(
    name = "predictor-benchmark",
    mixinStandardHelpOptions = true,
    description = "Predictor throughput/latency vs in-process ONNX Runtime (loopback only).")
public final class PredictorBenchmark implements Callable<Integer> {
  private static final List<String> ALL_PATHS =
      List.of("inproc", "inproc-batch", "grpc", "rest", "rest-bin");
  private static final float TOLERANCE = 1e-3f;
  private static final int PORT_SLOTS = 50;

  /**
   * The predictor's inference threads: their voluntary context switches per request ("worker
   * waits/req") count how often a worker went to sleep for lack of work, i.e. the hand-offs between
   * the event loop, the batcher and the workers.
   */
  private static final String WORKER_THREADS = "serval-worker";

  /** Suffix of a path served by the {@code --baseline-predictor-jar} build: {@code rest@base}. */
  static final String BASELINE = "@base";

  @Option(
      names = "--models",
      split = ",",
      description = "Models to measure: minilm, mlp, tiny (default: all).")
  List<String> models = Workload.NAMES;

  @Option(
      names = "--paths",
      split = ",",
      description =
          "Paths: inproc, inproc-batch, grpc, rest, rest-bin (default: inproc,grpc,rest; plus"
              + " rest-bin for mlp). inproc-batch is the batching ceiling: requests joined"
              + " in-process into batches of --max-batch-size (waiting up to --max-queue-delay)"
              + " on the in-process sessions, with no transport."
              + " Measured in the order given; repeat paths to interleave them"
              + " (inproc,grpc,inproc,grpc) so that compared points see the same machine load."
              + " With --baseline-predictor-jar, grpc@base, rest@base and rest-bin@base are the"
              + " same paths served by that build.")
  List<String> paths;

  @Option(
      names = "--concurrency",
      split = ",",
      description = "Outstanding requests per point (default: 1,8,32,64).")
  List<Integer> concurrency = List.of(1, 8, 32, 64);

  @Option(
      names = "--batching",
      split = ",",
      description =
          "Predictor configurations, each started in turn: off, on, optionally with :WxT"
              + " (workers x threads), :bN (max batch size), :dDELAY (max queue delay), :base"
              + " (run --baseline-predictor-jar), e.g. off:2x1,on:1x2:b64; repeat them to interleave"
              + " (default: off,on).")
  List<String> batching = List.of("off", "on");

  private final List<PredictorMode> modes = new ArrayList<>();

  @Option(
      names = "--warmup",
      converter = DurationConverter.class,
      description = "Unrecorded warm-up per point (default: 2s).")
  Duration warmup = Duration.ofSeconds(2);

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description = "Measurement per point (default: 5s).")
  Duration duration = Duration.ofSeconds(5);

  @Option(
      names = "--path-warmup",
      converter = DurationConverter.class,
      description =
          "Unrecorded load at concurrency 8 on each served path of a fresh predictor, every path"
              + " before the first measured point, so that no path is measured on cold JIT code"
              + " (default: 3s).")
  Duration pathWarmup = Duration.ofSeconds(3);

  @Option(
      names = "--path-warmup-rounds",
      description =
          "Most warm-up rounds (each path for --path-warmup) before the first measured point;"
              + " fewer once every path's throughput is within 10% of its previous round"
              + " (default: 5).")
  int pathWarmupRounds = 5;

  @Option(
      names = "--max-requests",
      description = "Upper bound on measured requests per point (default: 1000000).")
  long maxRequests = 1_000_000;

  @Option(names = "--workers", description = "Predictor workers / in-process sessions (default 2).")
  int workers = 2;

  @Option(names = "--threads-per-worker", description = "Intra-op threads each (default 1).")
  int threadsPerWorker = 1;

  @Option(names = "--max-batch-size", description = "Batch size when batching is on (default 32).")
  int maxBatchSize = 32;

  @Option(
      names = "--max-queue-delay",
      description = "Queue delay when batching is on, as the predictor reads it (default 2ms).")
  String maxQueueDelay = "2ms";

  @Option(
      names = "--inproc-spinning",
      description =
          "Let the in-process sessions' intra-op threads spin (ONNX Runtime's default); the"
              + " predictor's never do (default: false).")
  boolean inprocSpinning;

  @Option(
      names = "--client-threads",
      description = "Event-loop threads of the gRPC and REST clients (default 2).")
  int clientThreads = 2;

  @Option(
      names = "--predictor-jvm-arg",
      description =
          "Extra JVM option for the predictor process, e.g. a JFR or async-profiler agent; repeat"
              + " for several (default: none).")
  List<String> predictorJvmArgs = new ArrayList<>();

  @Option(names = "--port-base", description = "First loopback port used (default 18000).")
  int portBase = 18000;

  @Option(
      names = "--ready-timeout",
      converter = DurationConverter.class,
      description = "How long to wait for a predictor to become ready (default 120s).")
  Duration readyTimeout = Duration.ofSeconds(120);

  @Option(
      names = "--request-timeout",
      converter = DurationConverter.class,
      description =
          "A gRPC/REST request not answered within this counts as an error (default 30s).")
  Duration requestTimeout = Duration.ofSeconds(30);

  @Option(
      names = "--copy-predictor",
      negatable = true,
      description =
          "Run a private copy of the predictor's quarkus-app folder, so that a rebuild during the"
              + " run cannot pull jars from under it (default: true).")
  boolean copyPredictor = true;

  @Option(names = "--repo-root", description = "Repository root (default: current directory).")
  Path repoRoot = Path.of("").toAbsolutePath();

  @Option(names = "--predictor-jar", description = "Default: predictor-service quarkus-run.jar.")
  Path predictorJar;

  @Option(
      names = "--baseline-predictor-jar",
      description =
          "Another build of the predictor (e.g. the previous commit's quarkus-run.jar), so that a"
              + " change and its baseline are measured in one run: it serves the paths suffixed"
              + " @base (run beside the build under test, with the same settings, so they"
              + " interleave with its paths), and it alone serves the --batching entries marked"
              + " :base.")
  Path baselinePredictorJar;

  @Option(names = "--models-dir", description = "Folder with all-minilm-l6-v2-q.onnx.")
  Path modelsDir;

  @Option(names = "--out", description = "Results folder (default: benchmarks/target/results/TS).")
  Path out;

  private final AtomicReference<PredictorProcess> running = new AtomicReference<>();
  private final AtomicReference<PredictorProcess> runningBaseline = new AtomicReference<>();
  private final List<CpuRatios.Point> cpu = new ArrayList<>();
  private final List<ResultRow> rows = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private final ClosedLoopRunner runner = new ClosedLoopRunner();
  private int configIndex;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PredictorBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    validate();
    Path jar =
        predictorJar != null
            ? predictorJar
            : repoRoot.resolve("predictor-service/target/quarkus-app/quarkus-run.jar");
    Path modelsFolder = modelsDir != null ? modelsDir : repoRoot.resolve("models");
    Path results =
        out != null
            ? out
            : repoRoot.resolve(
                "benchmarks/target/results/"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(results);
    boolean anyServed = models.stream().anyMatch(m -> !servedPaths(m).isEmpty());
    if (anyServed && !Files.isRegularFile(jar)) {
      System.err.println(
          "predictor jar not found at " + jar + "; build predictor-service or pass --paths inproc");
      return 2;
    }
    if (baselinePredictorJar != null && !Files.isRegularFile(baselinePredictorJar)) {
      System.err.println("baseline predictor jar not found at " + baselinePredictorJar);
      return 2;
    }
    if (anyServed && copyPredictor) {
      jar = AppCopy.copyQuarkusApp(jar, results.resolve("predictor-app"));
      if (baselinePredictorJar != null) {
        baselinePredictorJar =
            AppCopy.copyQuarkusApp(baselinePredictorJar, results.resolve("baseline-predictor-app"));
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopRunning, "stop-predictor"));
    System.out.printf(
        Locale.ROOT,
        "warm-up %s, measure %s, max %d requests per point; workers=%d threads-per-worker=%d;"
            + " results in %s%n",
        warmup,
        duration,
        maxRequests,
        workers,
        threadsPerWorker,
        results);
    NioEventLoopGroup grpcLoops = new NioEventLoopGroup(clientThreads);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(clientThreads));
    try {
      for (String name : models) {
        benchmark(
            Workload.named(name, modelsFolder, results.resolve("models")),
            jar,
            results,
            grpcLoops,
            vertx);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      grpcLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
      if (anyServed && copyPredictor) {
        AppCopy.delete(results.resolve("predictor-app"));
        if (baselinePredictorJar != null) {
          AppCopy.delete(results.resolve("baseline-predictor-app"));
        }
      }
    }
    String summary = Summary.render(rows);
    for (String name : models) {
      summary += CpuRatios.render(cpu, name);
    }
    if (!problems.isEmpty()) {
      summary += "\nProblems\n- " + String.join("\n- ", problems) + "\n";
    }
    System.out.println();
    System.out.println(ResultTable.markdown(rows));
    System.out.println(summary);
    ResultTable.write(results, rows, summary);
    ResultChart.write(
        results.resolve("results.png"),
        "PredictorBenchmark",
        ResultPoints.parse(ResultTable.csv(rows)));
    System.out.println(
        "written " + results.resolve("results.csv") + ", results.md and results.png");
    return problems.isEmpty() ? 0 : 1;
  }

  /** Checks the options together; picocli has checked each alone. */
  void validate() {
    for (String m : models) {
      if (!Workload.NAMES.contains(m)) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--models: unknown '" + m + "', expected " + Workload.NAMES);
      }
    }
    if (paths != null) {
      for (String p : paths) {
        String plain = p.endsWith(BASELINE) ? p.substring(0, p.length() - BASELINE.length()) : p;
        if (!ALL_PATHS.contains(plain) || (p.endsWith(BASELINE) && plain.startsWith("inproc"))) {
          throw new CommandLine.ParameterException(
              new CommandLine(this),
              "--paths: unknown '" + p + "', expected " + ALL_PATHS + " (served ones with @base)");
        }
        if (p.endsWith(BASELINE) && baselinePredictorJar == null) {
          throw new CommandLine.ParameterException(
              new CommandLine(this), "--paths: '" + p + "' needs --baseline-predictor-jar");
        }
      }
    }
    for (String b : batching) {
      try {
        modes.add(PredictorMode.parse(b, workers, threadsPerWorker, maxBatchSize, maxQueueDelay));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
      }
      if (modes.getLast().baseline() && baselinePredictorJar == null) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--batching '" + b + "' needs --baseline-predictor-jar");
      }
    }
    if (concurrency.stream().anyMatch(c -> c < 1)
        || workers < 1
        || threadsPerWorker < 1
        || pathWarmupRounds < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--concurrency, --workers, --threads-per-worker and --path-warmup-rounds must be >= 1");
    }
  }

  private List<String> pathsFor(String model) {
    if (paths != null) {
      return paths;
    }
    return model.equals("mlp") ? ALL_PATHS : List.of("inproc", "grpc", "rest");
  }

  private boolean usesBaselinePaths() {
    return paths != null && paths.stream().anyMatch(p -> p.endsWith(BASELINE));
  }

  private List<String> servedPaths(String model) {
    return pathsFor(model).stream().filter(p -> !p.startsWith("inproc")).toList();
  }

  private void benchmark(
      Workload workload, Path jar, Path results, NioEventLoopGroup grpcLoops, Vertx vertx)
      throws Exception {
    List<String> order = pathsFor(workload.name());
    List<String> served = servedPaths(workload.name());
    // The sessions stay open while the predictor runs, so that in-process points can sit between
    // served ones (--paths inproc,grpc,inproc,grpc): on a shared machine only neighbouring points
    // see the same load.
    try (InProcessModel model =
        new InProcessModel(workload, workers, threadsPerWorker, inprocSpinning)) {
      OutputTensor reference = model.referenceOutput();
      if (served.isEmpty()) {
        for (String path : order) {
          measureInProcess(workload.name(), path, model);
        }
        return;
      }
      for (PredictorMode mode : modes) {
        runPredictor(workload, mode, order, model, reference, jar, results, grpcLoops, vertx);
      }
    }
  }

  private void runPredictor(
      Workload workload,
      PredictorMode mode,
      List<String> order,
      InProcessModel model,
      OutputTensor reference,
      Path jar,
      Path results,
      NioEventLoopGroup grpcLoops,
      Vertx vertx)
      throws Exception {
    int slot = configIndex++ % PORT_SLOTS;
    int baselineSlot = configIndex++ % PORT_SLOTS;
    int httpPort = portBase + 2 * slot;
    int grpcPort = httpPort + 1;
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("model.uri", workload.modelFile().toUri().toString());
    settings.put("model.name", workload.name());
    settings.putAll(mode.settings());
    Path log =
        results.resolve(
            "logs/predictor-"
                + workload.name()
                + "-batching-"
                + mode.fileName()
                + "-"
                + configIndex
                + ".log");
    System.out.printf(
        Locale.ROOT,
        "starting predictor for %s, batching %s (http %d, grpc %d, log %s)%n",
        workload.name(),
        mode.label(),
        httpPort,
        grpcPort,
        log);
    Map<String, Target> targets = new LinkedHashMap<>();
    Map<String, PredictorProcess> servers = new LinkedHashMap<>();
    try (PredictorProcess predictor =
            PredictorProcess.start(
                mode.baseline() ? baselinePredictorJar : jar,
                settings,
                predictorJvmArgs,
                httpPort,
                grpcPort,
                log);
        PredictorProcess baseline =
            usesBaselinePaths()
                ? PredictorProcess.start(
                    baselinePredictorJar,
                    settings,
                    predictorJvmArgs,
                    portBase + 2 * baselineSlot,
                    portBase + 2 * baselineSlot + 1,
                    log.resolveSibling(log.getFileName().toString().replace(".log", "-base.log")))
                : null) {
      running.set(predictor);
      runningBaseline.set(baseline);
      predictor.awaitReady(readyTimeout);
      if (baseline != null) {
        baseline.awaitReady(readyTimeout);
      }
      for (String path : servedPaths(workload.name())) {
        if (!targets.containsKey(path)) {
          boolean base = path.endsWith(BASELINE);
          PredictorProcess server = base ? baseline : predictor;
          String plain = base ? path.substring(0, path.length() - BASELINE.length()) : path;
          servers.put(path, server);
          targets.put(path, openTarget(workload, plain, server, grpcLoops, vertx));
          check(workload, path, mode.label(), targets.get(path), reference);
        }
      }
      warmUp(targets);
      for (String path : order) {
        if (path.startsWith("inproc")) {
          measureInProcess(workload.name(), path, model);
        } else {
          for (int c : concurrency) {
            measure(workload.name(), path, mode.label(), c, targets.get(path), servers.get(path));
          }
        }
      }
    } catch (java.io.IOException e) {
      problems.add(workload.name() + " batching " + mode.label() + ": " + e.getMessage());
      System.out.println("FAILED " + e.getMessage());
    } finally {
      for (Target target : targets.values()) {
        target.close();
      }
      running.set(null);
      runningBaseline.set(null);
    }
  }

  /**
   * Warms every served path before measuring any, in rounds of {@code --path-warmup} per path,
   * until no path's throughput moved by more than 10% since its previous round (at most {@code
   * --path-warmup-rounds}). A young predictor on a busy machine keeps compiling for minutes (its
   * CPU per request halved over two minutes of MLP load): a path measured while the others are
   * still cold looks slower than it is, and the first one measured was always gRPC.
   */
  private void warmUp(Map<String, Target> targets) throws InterruptedException {
    PathWarmup.untilSettled(
        runner, targets, Math.min(8, maxConcurrency()), pathWarmup, pathWarmupRounds, maxRequests);
  }

  private void measureInProcess(String name, String path, InProcessModel model) throws Exception {
    for (int c : concurrency) {
      if (path.equals("inproc-batch")) {
        long delay = new DurationConverter().convert(maxQueueDelay).toNanos();
        try (Target target = new InProcessBatchTarget(model, maxBatchSize, delay)) {
          measure(name, path, "b" + maxBatchSize, c, target, null);
        }
      } else {
        try (Target target = new InProcessTarget(model, c)) {
          measure(name, path, "-", c, target, null);
        }
      }
    }
  }

  private int maxConcurrency() {
    return concurrency.stream().mapToInt(Integer::intValue).max().orElse(1);
  }

  private Target openTarget(
      Workload workload,
      String path,
      PredictorProcess predictor,
      NioEventLoopGroup grpcLoops,
      Vertx vertx) {
    return switch (path) {
      case "grpc" ->
          new GrpcTarget(
              workload, PredictorProcess.HOST, predictor.grpcPort(), requestTimeout, grpcLoops);
      case "rest", "rest-bin" ->
          new RestTarget(
              workload,
              PredictorProcess.HOST,
              predictor.httpPort(),
              path.equals("rest-bin"),
              maxConcurrency(),
              requestTimeout,
              vertx);
      default -> throw new IllegalArgumentException("not a served path: " + path);
    };
  }

  private void check(
      Workload workload, String path, String mode, Target target, OutputTensor reference) {
    String mismatch;
    try {
      OutputTensor got =
          target instanceof GrpcTarget grpc
              ? grpc.fetchOutput()
              : ((RestTarget) target).fetchOutput();
      mismatch = reference.mismatch(got, TOLERANCE);
    } catch (Exception e) {
      mismatch = "probe failed: " + ClosedLoopRunner.describe(e);
    }
    if (mismatch != null) {
      problems.add(workload.name() + " " + path + " batching " + mode + ": " + mismatch);
      System.out.println("CHECK FAILED " + workload.name() + " " + path + ": " + mismatch);
    }
  }

  /**
   * @param predictor the process serving {@code target} (its CPU is read), null in-process
   */
  private void measure(
      String model, String path, String mode, int c, Target target, PredictorProcess predictor)
      throws InterruptedException {
    // Warm-up as its own unrecorded run, so that CPU can be read at the start of the measured one.
    runner.run(target, c, Duration.ZERO, warmup, maxRequests);
    boolean inProcess = path.startsWith("inproc");
    long self = ProcessHandle.current().pid();
    Map<Long, Long> selfBefore = ProcessCpu.threadNanos(self);
    Map<Long, Long> serverBefore =
        predictor == null ? null : ProcessCpu.threadNanos(predictor.pid());
    Map<Long, Long> workersBefore =
        predictor == null ? null : ProcessCpu.voluntarySwitches(predictor.pid(), WORKER_THREADS);
    LoadResult result = runner.run(target, c, Duration.ZERO, duration, maxRequests);
    Map<Long, Long> selfAfter = ProcessCpu.threadNanos(self);
    Map<Long, Long> serverAfter =
        predictor == null ? null : ProcessCpu.threadNanos(predictor.pid());
    Map<Long, Long> workersAfter =
        predictor == null ? null : ProcessCpu.voluntarySwitches(predictor.pid(), WORKER_THREADS);
    ResultRow row = new ResultRow(model, path, mode, c, result);
    rows.add(row);
    double selfCpu =
        ProcessCpu.microsPerRequest(
            ProcessCpu.nanosBetween(selfBefore, selfAfter), result.requests());
    double serverCpu =
        ProcessCpu.microsPerRequest(
            ProcessCpu.nanosBetween(serverBefore, serverAfter), result.requests());
    cpu.add(
        inProcess
            ? new CpuRatios.Point(row, selfCpu, 0)
            : new CpuRatios.Point(row, serverCpu, selfCpu));
    // In-process the harness's own CPU is the model's; served, the predictor's then the client's.
    String cpu =
        inProcess
            ? String.format(Locale.ROOT, "cpu/req inproc %6.0f µs", selfCpu)
            : String.format(
                Locale.ROOT,
                "cpu/req server %6.0f µs client %6.0f µs  worker waits/req %5.2f",
                serverCpu,
                selfCpu,
                perRequest(
                    ProcessCpu.nanosBetween(workersBefore, workersAfter), result.requests()));
    System.out.printf(
        Locale.ROOT,
        "%-7s %-13s batching=%-3s c=%-3d %9.1f req/s  p50 %8.0f µs  p99 %8.0f µs  errors %d  %s%s%n",
        model,
        path,
        mode,
        c,
        result.throughput(),
        result.p50Micros(),
        result.p99Micros(),
        result.errors(),
        cpu,
        result.firstError() == null ? "" : " (" + result.firstError() + ")");
    if (result.errors() > 0) {
      problems.add(
          model
              + " "
              + path
              + " batching "
              + mode
              + " c="
              + c
              + ": "
              + result.errors()
              + " errors, first: "
              + result.firstError());
    }
  }

  /** A count per request, NaN when unknown. */
  private static double perRequest(long count, long requests) {
    return count < 0 || requests <= 0 ? Double.NaN : (double) count / requests;
  }

  private void stopRunning() {
    for (AtomicReference<PredictorProcess> ref : List.of(running, runningBaseline)) {
      PredictorProcess predictor = ref.getAndSet(null);
      if (predictor != null) {
        predictor.close();
      }
    }
  }
}
