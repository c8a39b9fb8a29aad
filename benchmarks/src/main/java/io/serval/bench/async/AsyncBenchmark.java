package io.serval.bench.async;

import io.serval.bench.AppCopy;
import io.serval.bench.DurationConverter;
import io.serval.bench.process.PredictorProcess;
import io.serval.bench.process.ProcessCpu;
import io.serval.bench.router.ChildProcess;
import io.serval.bench.router.ProxyLaunch;
import io.serval.bench.router.StartedProcesses;
import io.serval.bench.router.StaticRoutesFile;
import io.serval.bench.target.RestTarget;
import io.serval.bench.workload.InputTensor;
import io.serval.bench.workload.Workload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Async submit→result latency at idle against realtime (issue 14): one predictor (MiniLM-q by
 * default), one router per variant (this build and, with {@code --baseline-router-jar}, another,
 * each at every {@code --poll-intervals} value of the pump), each on its own SQLite store in the
 * results folder. Every round sends, for each request index and each router, one realtime {@code
 * POST infer} and one async request ({@code Prefer: respond-async}, then {@code GET Location} every
 * {@code --client-poll} until it has succeeded, or held GETs with {@code Prefer: wait=N}: {@code
 * --result-modes}, one client each), one at a time, alternating which goes first: the two paths of
 * one router see the same machine state. Prints p50/p90/p99 of both and the async p50's excess over
 * realtime per router, per round and pooled.
 *
 * <p>Run (after {@code ./mvnw -B -o -q install -DskipTests -pl
 * benchmarks,router-service,predictor-service -am}): {@code ./mvnw -B -o -q -pl benchmarks
 * exec:exec -Dbench.main=io.serval.bench.async.AsyncBenchmark -Dbench.args="--out
 * /tmp/async-bench"}. Loopback only; bounded by {@code --max-time}; every process stopped by PID.
 */
@Command(
    name = "async-benchmark",
    mixinStandardHelpOptions = true,
    description = "Async submit->result latency against realtime, at idle (loopback only).")
public final class AsyncBenchmark implements Callable<Integer> {
  private static final String HOST = PredictorProcess.HOST;

  @Option(names = "--model", description = "minilm (default) or tiny.")
  String model = "minilm";

  @Option(names = "--rounds", description = "Rounds (default 3).")
  int rounds = 3;

  @Option(names = "--requests", description = "Requests per path, router and round (default 60).")
  int requests = 60;

  @Option(
      names = "--warmup-requests",
      description = "Unrecorded requests per path and router first (default 30).")
  int warmupRequests = 30;

  @Option(
      names = "--poll-intervals",
      split = ",",
      converter = DurationConverter.class,
      description =
          "The pump's serval.router.async.poll-interval, one router each (default 100ms,5ms).")
  List<Duration> pollIntervals = List.of(Duration.ofMillis(100), Duration.ofMillis(5));

  @Option(
      names = "--baseline-poll-intervals",
      split = ",",
      converter = DurationConverter.class,
      description = "The baseline routers' poll intervals (default: --poll-intervals).")
  List<Duration> baselinePollIntervals;

  @Option(
      names = "--client-poll",
      converter = DurationConverter.class,
      description = "The client's wait between GETs of the result (default 1ms).")
  Duration clientPoll = Duration.ofMillis(1);

  @Option(
      names = "--result-modes",
      split = ",",
      description =
          "How this build's clients await results: poll (GET every --client-poll), wait (held GETs,"
              + " Prefer: wait=N); one client per mode and router (default poll,wait).")
  List<String> resultModes = List.of("poll", "wait");

  @Option(
      names = "--baseline-result-modes",
      split = ",",
      description =
          "The same for the baseline's routers (default poll: a router without held GETs is"
              + " polled in both).")
  List<String> baselineResultModes = List.of("poll");

  @Option(
      names = "--router-setting",
      paramLabel = "KEY=VALUE",
      description =
          "A router property for this build's routers (repeatable), e.g."
              + " serval.router.async.claim-at-submit=false.")
  List<String> routerSettings = new ArrayList<>();

  @Option(
      names = "--baseline-router-setting",
      paramLabel = "KEY=VALUE",
      description =
          "The same for the baseline's routers (repeatable): with --baseline-router-jar set to this"
              + " build, one setting compared on and off in one run.")
  List<String> baselineRouterSettings = new ArrayList<>();

  @Option(
      names = "--max-time",
      converter = DurationConverter.class,
      description = "Measurement stops after the round that passes this (default 4m).")
  Duration maxTime = Duration.ofMinutes(4);

  @Option(names = "--workers", description = "Predictor workers (default 2).")
  int workers = 2;

  @Option(names = "--port-base", description = "First loopback port used (default 18700).")
  int portBase = 18700;

  @Option(
      names = "--ready-timeout",
      converter = DurationConverter.class,
      description = "How long to wait for each server to become ready (default 120s).")
  Duration readyTimeout = Duration.ofSeconds(120);

  @Option(
      names = "--request-timeout",
      converter = DurationConverter.class,
      description =
          "A request (or async result) not there within this fails the run (default 30s).")
  Duration requestTimeout = Duration.ofSeconds(30);

  @Option(names = "--repo-root", description = "Repository root (default: current directory).")
  Path repoRoot = Path.of("").toAbsolutePath();

  @Option(
      names = "--models-dir",
      description = "Folder with all-minilm-l6-v2-q.onnx (default: models).")
  Path modelsDir;

  @Option(names = "--predictor-jar", description = "Default: predictor-service quarkus-run.jar.")
  Path predictorJar;

  @Option(names = "--router-jar", description = "Default: router-service quarkus-run.jar.")
  Path routerJar;

  @Option(
      names = "--baseline-router-jar",
      description = "Another router build, measured beside this one at every poll interval.")
  Path baselineRouterJar;

  @Option(
      names = "--router-jvm-arg",
      description =
          "A JVM option of this build's routers (repeatable), e.g. a profiling agent; %%p in it"
              + " becomes the router's name.")
  List<String> routerJvmArgs = new ArrayList<>();

  @Option(
      names = "--out",
      description = "Results folder (default: benchmarks/target/results/async-TS).")
  Path out;

  @Option(
      names = "--cpu-requests",
      description =
          "After the rounds, per router: this many realtime requests back to back, then as many"
              + " async ones, with the router's CPU (/proc) read around each (default 30; 0: none).")
  int cpuRequests = 30;

  private final StartedProcesses started = new StartedProcesses();
  private final Map<String, Long> routerPids = new LinkedHashMap<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new AsyncBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (rounds < 1 || requests < 1 || warmupRequests < 0 || workers < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--rounds, --requests, --workers must be >= 1");
    }
    try {
      for (String m : resultModes) {
        ResultMode.parse(m);
      }
      for (String m : baselineResultModes) {
        ResultMode.parse(m);
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
    }
    Path predictor =
        orDefault(predictorJar, "predictor-service/target/quarkus-app/quarkus-run.jar");
    Path router = orDefault(routerJar, "router-service/target/quarkus-app/quarkus-run.jar");
    for (Path jar :
        baselineRouterJar == null
            ? List.of(predictor, router)
            : List.of(predictor, router, baselineRouterJar)) {
      if (!Files.isRegularFile(jar)) {
        System.err.println("jar not found: " + jar);
        return 2;
      }
    }
    Path results =
        out != null
            ? out.toAbsolutePath()
            : repoRoot.resolve(
                "benchmarks/target/results/async-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(results);
    Runtime.getRuntime().addShutdownHook(new Thread(started::stopAll, "stop-children"));
    predictor = AppCopy.copyQuarkusApp(predictor, results.resolve("predictor-app"));
    Path routerCopy = AppCopy.copyQuarkusApp(router, results.resolve("router-app"));
    Path baselineCopy =
        baselineRouterJar == null
            ? null
            : AppCopy.copyQuarkusApp(baselineRouterJar, results.resolve("baseline-router-app"));
    List<RouterVariant> variants =
        RouterVariant.of(
            routerCopy,
            baselineCopy,
            pollIntervals,
            baselinePollIntervals != null ? baselinePollIntervals : pollIntervals);
    Map<String, AsyncRestClient> clients = new LinkedHashMap<>();
    Map<String, Latencies[]> pooled = new LinkedHashMap<>();
    StringBuilder report = new StringBuilder();
    int status = 0;
    try {
      Workload workload =
          Workload.named(
              model,
              modelsDir != null ? modelsDir : repoRoot.resolve("models"),
              results.resolve("models"));
      startAll(workload, predictor, variants, results, clients);
      String header =
          String.format(
              Locale.ROOT,
              "Async benchmark: %s (binary tensors), one predictor (%d workers x 1 thread, batching"
                  + " off), routers %s on SQLite stores; c=1, realtime and async interleaved per"
                  + " request; %d rounds of %d requests per path and router after %d unrecorded;"
                  + " a polling client GETs the result every %s, a waiting one holds GETs"
                  + " (Prefer: wait).",
              workload.name(),
              workers,
              variants.stream().map(RouterVariant::name).toList(),
              rounds,
              requests,
              warmupRequests,
              RouterVariant.format(clientPoll));
      System.out.println(header);
      report.append(header).append("\n\n");
      System.out.println("warm-up: " + warmupRequests + " requests per path and router");
      runRound(clients, warmupRequests, null);
      long deadline = System.nanoTime() + maxTime.toNanos();
      report.append(AsyncReport.HEADER);
      for (int round = 1; round <= rounds; round++) {
        Map<String, Latencies[]> thisRound = new LinkedHashMap<>();
        runRound(clients, requests, thisRound);
        for (Map.Entry<String, Latencies[]> e : thisRound.entrySet()) {
          String line =
              AsyncReport.row("round " + round, e.getKey(), e.getValue()[0], e.getValue()[1]);
          System.out.print(line);
          report.append(line);
          Latencies[] all = pooled.computeIfAbsent(e.getKey(), k -> newSet());
          for (int j = 0; j < all.length; j++) {
            all[j].addAll(e.getValue()[j]);
          }
        }
        if (System.nanoTime() > deadline && round < rounds) {
          report.append("\n(stopped after round ").append(round).append(": --max-time)\n");
          break;
        }
      }
      for (Map.Entry<String, Latencies[]> e : pooled.entrySet()) {
        String line = AsyncReport.row("all", e.getKey(), e.getValue()[0], e.getValue()[1]);
        System.out.print(line);
        report.append(line);
      }
      report.append("\n").append(AsyncReport.PHASES_HEADER);
      System.out.print("\n" + AsyncReport.PHASES_HEADER);
      for (Map.Entry<String, Latencies[]> e : pooled.entrySet()) {
        Latencies[] l = e.getValue();
        String line = AsyncReport.phases(e.getKey(), l[2], l[3], l[1], l[4]);
        System.out.print(line);
        report.append(line);
      }
      if (cpuRequests > 0) {
        String cpuHeader =
            "\n| router | router CPU per realtime request ms | per async request (submit, claim, result, GETs) ms |\n|---|---|---|\n";
        System.out.print(cpuHeader);
        report.append(cpuHeader);
        for (Map.Entry<String, AsyncRestClient> e : clients.entrySet()) {
          String line = cpuRow(e.getKey(), e.getValue(), routerPids.get(e.getKey()));
          System.out.print(line);
          report.append(line);
        }
      }
    } catch (IOException e) {
      System.out.println("FAILED " + e.getMessage());
      report.append("\nFAILED: ").append(e.getMessage()).append('\n');
      status = 1;
    } finally {
      for (AsyncRestClient c : clients.values()) {
        c.close();
      }
      started.stopAll();
      AppCopy.delete(results.resolve("predictor-app"));
      AppCopy.delete(results.resolve("router-app"));
      AppCopy.delete(results.resolve("baseline-router-app"));
    }
    Files.writeString(results.resolve("results.md"), report.toString());
    System.out.println("written " + results.resolve("results.md"));
    return status;
  }

  /**
   * For each request index, each router in turn: one realtime and one async request, the order
   * alternating with the index. {@code into} null: warm-up, nothing kept.
   */
  private void runRound(Map<String, AsyncRestClient> clients, int n, Map<String, Latencies[]> into)
      throws IOException, InterruptedException {
    for (int i = 0; i < n; i++) {
      for (Map.Entry<String, AsyncRestClient> e : clients.entrySet()) {
        AsyncRestClient c = e.getValue();
        long realtime;
        AsyncRestClient.Timeline async;
        if (i % 2 == 0) {
          realtime = c.realtime();
          async = c.submitAndAwait(clientPoll);
        } else {
          async = c.submitAndAwait(clientPoll);
          realtime = c.realtime();
        }
        if (into != null) {
          Latencies[] l = into.computeIfAbsent(e.getKey(), k -> newSet());
          l[0].add(realtime);
          l[1].add(async.done());
          l[2].add(async.accepted());
          if (async.seenRunning() >= 0) {
            l[3].add(async.seenRunning());
          }
          l[4].add(async.polls());
        }
      }
    }
  }

  /** The router's CPU per request on each path, the two paths run one after the other. */
  private String cpuRow(String name, AsyncRestClient c, long pid)
      throws IOException, InterruptedException {
    Map<Long, Long> t0 = ProcessCpu.threadNanos(pid);
    for (int i = 0; i < cpuRequests; i++) {
      c.realtime();
    }
    Map<Long, Long> t1 = ProcessCpu.threadNanos(pid);
    for (int i = 0; i < cpuRequests; i++) {
      c.submitAndAwait(clientPoll);
    }
    Map<Long, Long> t2 = ProcessCpu.threadNanos(pid);
    return String.format(
        Locale.ROOT,
        "| %s | %.2f | %.2f |%n",
        name,
        ProcessCpu.microsPerRequest(ProcessCpu.nanosBetween(t0, t1), cpuRequests) / 1000,
        ProcessCpu.microsPerRequest(ProcessCpu.nanosBetween(t1, t2), cpuRequests) / 1000);
  }

  /** Realtime, async done, async accepted, async seen running, polls per async request. */
  private static Latencies[] newSet() {
    return new Latencies[] {
      new Latencies(), new Latencies(), new Latencies(), new Latencies(), new Latencies()
    };
  }

  private void startAll(
      Workload workload,
      Path predictorJarCopy,
      List<RouterVariant> variants,
      Path results,
      Map<String, AsyncRestClient> clients)
      throws IOException, InterruptedException {
    int predictorHttp = portBase;
    int predictorGrpc = portBase + 1;
    int unusedOperator = portBase + 2;
    int unusedAutoscaler = portBase + 3;
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
        started.track(
            PredictorProcess.start(
                predictorJarCopy,
                settings,
                List.of(),
                predictorHttp,
                predictorGrpc,
                logs.resolve("predictor.log")));
    predictor.awaitReady(readyTimeout);
    Path routes =
        new StaticRoutesFile(
                workload.name(),
                workload.name(),
                HOST + ":" + predictorGrpc,
                64,
                1000,
                requestTimeout)
            .write(results.resolve("routes.json"));
    byte[] header = RestTarget.header(workload, true);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(header);
    for (InputTensor input : workload.inputs()) {
      body.writeBytes(input.littleEndianBytes());
    }
    int port = portBase + 4;
    for (RouterVariant v : variants) {
      int http = port++;
      int grpc = port++;
      Path store = results.resolve("stores").resolve(v.name().replace('/', '-') + ".db");
      Files.createDirectories(store.getParent());
      Files.deleteIfExists(store);
      List<String> extra = new ArrayList<>();
      extra.add("serval.router.async.store.sqlite-file=" + store);
      extra.add("serval.router.async.poll-interval=" + v.pollInterval().toMillis() + "ms");
      extra.addAll(v.label().equals("this") ? routerSettings : baselineRouterSettings);
      System.out.printf(
          Locale.ROOT, "starting router %s (http %d, grpc %d)%n", v.name(), http, grpc);
      ChildProcess child =
          started.track(
              ProxyLaunch.router(
                  v.jar(),
                  routes,
                  http,
                  grpc,
                  unusedOperator,
                  unusedAutoscaler,
                  v.label().equals("this")
                      ? routerJvmArgs.stream()
                          .map(a -> a.replace("%p", v.name().replace('/', '-')))
                          .toList()
                      : List.of(),
                  extra,
                  logs.resolve("router-" + v.name().replace('/', '-') + ".log"),
                  readyTimeout));
      for (String m : v.label().equals("this") ? resultModes : baselineResultModes) {
        ResultMode mode = ResultMode.parse(m);
        String key = v.name() + "/" + mode.label();
        routerPids.put(key, child.pid());
        clients.put(
            key,
            new AsyncRestClient(
                HOST,
                http,
                workload.name(),
                body.toByteArray(),
                Integer.toString(header.length),
                requestTimeout,
                mode));
      }
    }
  }

  private Path orDefault(Path given, String relative) {
    return given != null ? given : repoRoot.resolve(relative);
  }
}
