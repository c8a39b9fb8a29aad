package io.serval.bench.burst;

import io.serval.bench.DurationConverter;
import io.serval.bench.load.ClosedLoopRunner;
import io.serval.bench.target.RestTarget;
import io.serval.bench.workload.Workload;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Burst to served (issue 16, target 2), on the live platform: starts the operator (local runtime),
 * the autoscaler and the router as {@code serval up} does, deploys MiniLM-q with autoscaling (min 1
 * replica, panic on), runs a closed loop at c=k for the steady period, steps it to 4k, and records
 * when the autoscaler decided, when the operator launched the new replica, when it became ready and
 * when it answered its first request. Prints {@code burst to served = X s (decision + launch + cold
 * start + first answer)}, and writes the per-second trace (CSV), the events and the PNG trace plot
 * into the results folder.
 *
 * <p>Run (after {@code ./mvnw -B -o -q package -DskipTests -pl
 * operator-service,autoscaler-service,router-service,predictor-service,benchmarks -am}): {@code
 * ./mvnw -B -o -q -pl benchmarks exec:exec -Dbench.main=io.serval.bench.burst.BurstBenchmark
 * -Dbench.args="--out /tmp/burst"}. Loopback only; at most {@code --max-run} (3 min), every process
 * stopped by PID.
 */
@Command(
    name = "burst-benchmark",
    mixinStandardHelpOptions = true,
    description = "Burst to served: a 4x load step until a new replica answers (loopback only).")
public final class BurstBenchmark implements Callable<Integer> {
  static final String API = "minilm";

  /** How long the burst goes on once a new replica has answered. */
  static final Duration AFTER_FIRST_ANSWER = Duration.ofSeconds(5);

  @Option(
      names = "--concurrency",
      description = "Closed-loop callers before the step, k (default 2).")
  int concurrency = 2;

  @Option(names = "--step-factor", description = "Callers after the step: factor x k (default 4).")
  int stepFactor = 4;

  @Option(
      names = "--steady",
      converter = DurationConverter.class,
      description = "Load at c=k before the step (default 15s; longer than the window).")
  Duration steady = Duration.ofSeconds(15);

  @Option(
      names = "--burst",
      converter = DurationConverter.class,
      description =
          "Load after the step: at least this long (default 15s), longer until a new replica has"
              + " answered and 5s more, up to --longest-burst.")
  Duration burst = Duration.ofSeconds(15);

  @Option(
      names = "--longest-burst",
      converter = DurationConverter.class,
      description = "Load after the step at most (default 60s).")
  Duration longestBurst = Duration.ofSeconds(60);

  @Option(
      names = "--warmup",
      converter = DurationConverter.class,
      description = "Unrecorded load at c=k before the steady period (default 5s).")
  Duration warmup = Duration.ofSeconds(5);

  @Option(
      names = "--target-in-flight",
      description = "The API's autoscaling.targetInFlight (default 2, = k: one replica is enough).")
  double targetInFlight = 2;

  @Option(names = "--max-replicas", description = "autoscaling.maxReplicas (default 2).")
  int maxReplicas = 2;

  @Option(
      names = "--window",
      converter = DurationConverter.class,
      description = "autoscaling.window (default 10s).")
  Duration window = Duration.ofSeconds(10);

  @Option(
      names = "--panic-window",
      converter = DurationConverter.class,
      description = "autoscaling.panic.window (default 1s).")
  Duration panicWindow = Duration.ofSeconds(1);

  @Option(names = "--panic-threshold", description = "autoscaling.panic.threshold (default 2.0).")
  double panicThreshold = 2.0;

  @Option(
      names = "--autoscaler-tick",
      converter = DurationConverter.class,
      description = "serval.autoscaler.tick, also told to the operator (default 1s).")
  Duration autoscalerTick = Duration.ofSeconds(1);

  @Option(
      names = "--panic-on-report",
      description =
          "serval.autoscaler.panic-on-report: decide a panic when the router's report arrives,"
              + " not at the next tick (default false).")
  boolean panicOnReport;

  @Option(
      names = "--operator-tick",
      converter = DurationConverter.class,
      description = "serval.operator.local.tick: reconcile and readiness probes (default 500ms).")
  Duration operatorTick = Duration.ofMillis(500);

  @Option(
      names = "--replica-jvm-args",
      description = "serval.operator.local.jvm-args (comma-separated); default: the operator's.")
  String replicaJvmArgs;

  @Option(
      names = "--replica-poll",
      converter = DurationConverter.class,
      description =
          "How often new replicas' readiness and request count are polled (default 50ms).")
  Duration replicaPoll = Duration.ofMillis(50);

  @Option(
      names = "--service-poll",
      converter = DurationConverter.class,
      description =
          "How often the autoscaler's decision and the operator's counts are polled"
              + " (default 250ms).")
  Duration servicePoll = Duration.ofMillis(250);

  @Option(names = "--port-base", description = "First of 6 loopback ports used (default 18700).")
  int portBase = 18700;

  @Option(
      names = "--ready-timeout",
      converter = DurationConverter.class,
      description = "How long each service and the first replica may take to start (default 90s).")
  Duration readyTimeout = Duration.ofSeconds(90);

  @Option(
      names = "--max-run",
      converter = DurationConverter.class,
      description = "The whole run is stopped after this (default 3m).")
  Duration maxRun = Duration.ofMinutes(3);

  @Option(names = "--repo-root", description = "Repository root (default: current directory).")
  Path repoRoot = Path.of("").toAbsolutePath();

  @Option(names = "--models-dir", description = "Folder with all-minilm-l6-v2-q.onnx.")
  Path modelsDir;

  @Option(names = "--predictor-jar", description = "Default: predictor-service quarkus-run.jar.")
  Path predictorJar;

  @Option(names = "--router-jar", description = "Default: router-service quarkus-run.jar.")
  Path routerJar;

  @Option(names = "--operator-jar", description = "Default: operator-service quarkus-run.jar.")
  Path operatorJar;

  @Option(names = "--autoscaler-jar", description = "Default: autoscaler-service quarkus-run.jar.")
  Path autoscalerJar;

  @Option(
      names = "--out",
      description = "Results folder (default: benchmarks/target/results/burst-TS).")
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BurstBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (concurrency < 1 || stepFactor < 2 || maxReplicas < 2 || longestBurst.compareTo(burst) < 0) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--concurrency must be >= 1, --step-factor >= 2, --max-replicas >= 2 and"
              + " --longest-burst >= --burst");
    }
    LocalPlatform.Jars jars =
        new LocalPlatform.Jars(
            jar(operatorJar, "operator-service"),
            jar(autoscalerJar, "autoscaler-service"),
            jar(routerJar, "router-service"),
            jar(predictorJar, "predictor-service"));
    for (Path j : List.of(jars.operator(), jars.autoscaler(), jars.router(), jars.predictor())) {
      if (!Files.isRegularFile(j)) {
        System.err.println(
            "jar not found: "
                + j
                + " (./mvnw -B -o -q package -DskipTests -pl operator-service,autoscaler-service,"
                + "router-service,predictor-service -am)");
        return 2;
      }
    }
    Path results =
        out != null
            ? out.toAbsolutePath()
            : repoRoot.resolve(
                "benchmarks/target/results/burst-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(results);
    Path models = modelsDir != null ? modelsDir.toAbsolutePath() : repoRoot.resolve("models");
    Workload workload = Workload.named(API, models, results.resolve("models"));
    String loadBefore = loadAverage();
    System.out.println("load average at start: " + loadBefore);

    Thread watchdog = watchdog();
    // Replicas are launched from the given jar itself, not from a copy as the other harnesses do:
    // the predictor build's fast-start files beside it (the JDK's AOT cache) are only valid for
    // the classpath they were trained with.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    int after = concurrency * stepFactor;
    try (LocalPlatform platform =
        LocalPlatform.start(
            results.resolve("platform"),
            portBase,
            jars,
            new LocalPlatform.Settings(
                autoscalerTick, operatorTick, panicOnReport, Optional.ofNullable(replicaJvmArgs)),
            List.of(models, results.resolve("models")),
            readyTimeout)) {
      System.out.println("platform up; deploying " + API);
      platform.deploy(spec(workload.modelFile()));
      platform.awaitReady(API, 1, readyTimeout);
      try (PlatformProbe probe =
              new PlatformProbe(
                  API,
                  platform.stateDir(),
                  platform.autoscalerHttp(),
                  platform.operatorHttp(),
                  platform::operatorToken,
                  replicaPoll,
                  servicePoll);
          RestTarget target =
              new RestTarget(
                  workload,
                  LocalPlatform.HOST,
                  platform.routerHttp(),
                  true,
                  after,
                  Duration.ofSeconds(30),
                  vertx)) {
        // The first requests through a fresh router and replica are slow (connections, JIT):
        // they are sent before the recorded steady period, so that it starts settled.
        new ClosedLoopRunner().run(target, concurrency, warmup, Duration.ofMillis(1), 1);
        Set<String> before = platform.replicaIds(API);
        probe.start();
        System.out.printf(
            Locale.ROOT,
            "replicas before: %s; load c=%d for %s, then c=%d for %s to %s%n",
            before,
            concurrency,
            steady,
            after,
            burst,
            longestBurst);
        StepLoad load = new StepLoad(target);
        long[] servedAt = {0};
        StepLoad.Run run =
            load.run(
                concurrency,
                after,
                steady,
                burst,
                longestBurst,
                () -> {
                  // 5 s more once a new replica answers, so that the plot shows it serving
                  if (servedAt[0] == 0 && probe.newReplicaServed(before)) {
                    servedAt[0] = System.nanoTime();
                  }
                  return servedAt[0] != 0
                      && System.nanoTime() - servedAt[0] >= AFTER_FIRST_ANSWER.toNanos();
                },
                () -> System.out.println("load step at " + Instant.now()));
        probe.close();
        String loadAfter = loadAverage();
        List<ProbeSample> samples = probe.samples();
        BurstTimeline timeline = BurstTimeline.extract(run.stepAtMillis(), before, samples);
        List<SecondSeries.Row> rows =
            SecondSeries.of(
                run.startMillis(),
                run.stepAtMillis(),
                run.endMillis(),
                concurrency,
                after,
                load.records(),
                samples);
        report(results, timeline, rows, load, loadBefore, loadAfter);
        return timeline.burstToServed().isPresent() ? 0 : 1;
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      watchdog.interrupt();
    }
  }

  private Path jar(Path given, String module) {
    return given != null
        ? given.toAbsolutePath()
        : repoRoot.resolve(module + "/target/quarkus-app/quarkus-run.jar");
  }

  /** The API: one worker with one thread per replica, so a new replica has a core to start on. */
  String spec(Path model) {
    return String.join(
        "\n",
        "apiVersion: serving.serval.io/v1alpha1",
        "kind: RealtimeApi",
        "metadata: {name: " + API + "}",
        "spec:",
        "  model: {uri: \"" + model.toUri() + "\", platform: onnx}",
        "  predictor: {workers: 1, threadsPerWorker: 1}",
        "  traffic: {maxConcurrency: " + concurrency + ", maxQueueLength: 100, timeout: 30s}",
        String.format(
            Locale.ROOT,
            "  autoscaling: {minReplicas: 1, maxReplicas: %d, initReplicas: 1,"
                + " targetInFlight: %s, window: %s, panic: {window: %s, threshold: %s}}",
            maxReplicas,
            targetInFlight,
            seconds(window),
            seconds(panicWindow),
            panicThreshold),
        "");
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + "s";
  }

  /** Ends the JVM (the shutdown hooks stop every process) if the run outlives --max-run. */
  private Thread watchdog() {
    Thread t =
        Thread.ofPlatform()
            .daemon()
            .name("burst-watchdog")
            .start(
                () -> {
                  try {
                    Thread.sleep(maxRun);
                    System.err.println("run longer than " + maxRun + "; stopping everything");
                    System.exit(3);
                  } catch (InterruptedException done) {
                    // the run ended in time
                  }
                });
    return t;
  }

  private void report(
      Path results,
      BurstTimeline timeline,
      List<SecondSeries.Row> rows,
      StepLoad load,
      String loadBefore,
      String loadAfter)
      throws IOException {
    Files.writeString(results.resolve("trace.csv"), SecondSeries.csv(rows));
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "Burst to served: MiniLM-q, closed loop c=%d -> c=%d; targetInFlight %s, window %s,"
                + " panic window %s threshold %s, autoscaler tick %s%s, operator tick %s;"
                + " load average %s at start, %s at end.",
            concurrency,
            concurrency * stepFactor,
            targetInFlight,
            seconds(window),
            seconds(panicWindow),
            panicThreshold,
            autoscalerTick,
            panicOnReport ? " with panic-on-report" : "",
            operatorTick,
            loadBefore,
            loadAfter));
    lines.add("");
    lines.add("| event | at (s after the step) |");
    lines.add("|---|---|");
    for (BurstTimeline.Event e : timeline.events()) {
      lines.add(
          String.format(
              Locale.ROOT,
              "| %s | %+.2f |",
              e.label(),
              (e.atMillis() - timeline.stepAtMillis()) / 1000.0));
    }
    lines.add("");
    lines.add(timeline.summary());
    long errors = load.records().stream().filter(r -> !r.ok()).count();
    if (errors > 0) {
      lines.add(errors + " requests failed; first: " + load.firstError());
    }
    String text = String.join("\n", lines) + "\n";
    Files.writeString(results.resolve("results.md"), text);
    BurstChart.write(
        results.resolve("burst.png"),
        String.format(
            Locale.ROOT,
            "Burst to served, MiniLM-q, c=%d -> %d (load average %s)",
            concurrency,
            concurrency * stepFactor,
            loadBefore.split(" ")[0]),
        rows,
        timeline);
    System.out.println();
    System.out.print(text);
    System.out.println("written " + results.resolve("results.md") + ", trace.csv and burst.png");
  }

  /** The first three fields of /proc/loadavg, or "?" where it cannot be read. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
