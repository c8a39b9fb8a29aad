package io.serval.bench.batch;

import io.serval.bench.AppCopy;
import io.serval.bench.DurationConverter;
import io.serval.bench.load.ClosedLoopRunner;
import io.serval.bench.load.LoadResult;
import io.serval.bench.process.PredictorProcess;
import io.serval.bench.process.ProcessCpu;
import io.serval.bench.router.ChildProcess;
import io.serval.bench.router.ProxyLaunch;
import io.serval.bench.router.StartedProcesses;
import io.serval.bench.router.StaticRoutesFile;
import io.serval.bench.target.RestTarget;
import io.serval.bench.workload.Workload;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
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
 * Batch-job throughput against the realtime path's best (issue 14, goal ≥ 0.9×): one predictor
 * (MiniLM-q), one router on a SQLite store. The realtime best is the closed-loop REST JSON load
 * through the router at the concurrency that maximizes its throughput (a ramp picks it); the batch
 * figure is a job of {@code --items} copies of the same request (JSONL, the body of {@code POST
 * /v1/jobs?api=...}) from submit until {@code GET /v1/jobs/ID} says it has finished. Rounds
 * interleave the two (realtime, batch, realtime, batch ...) on the same replicas; the ratio is of
 * medians. With {@code --baseline-router-jar} a second router (another build, its own store and
 * jobs folder, on the same predictor) runs a job in every round too, the two in alternating order,
 * and the report adds each router's CPU per item and this build's throughput over the baseline's.
 *
 * <p>Run (after the install of docs/benchmarks.md): {@code ./mvnw -B -o -q -pl benchmarks exec:exec
 * -Dbench.main=io.serval.bench.batch.BatchBenchmark -Dbench.args="--out /tmp/batch-bench"}; or
 * against a router already running ({@code --router-url}). Loopback only, bounded by {@code
 * --job-timeout} per job.
 */
@Command(
    name = "batch-benchmark",
    mixinStandardHelpOptions = true,
    description = "Batch-job throughput against realtime's best on the same replicas (loopback).")
public final class BatchBenchmark implements Callable<Integer> {
  private static final String HOST = PredictorProcess.HOST;

  @Option(names = "--model", description = "minilm (default) or tiny.")
  String model = "minilm";

  @Option(names = "--items", description = "Items per job (default 400).")
  int items = 400;

  @Option(names = "--rounds", description = "Interleaved rounds (default 2).")
  int rounds = 2;

  @Option(names = "--batch-size", description = "The job's batchSize (default: the router's).")
  int batchSize;

  @Option(names = "--parallelism", description = "The job's parallelism (default: the router's).")
  int parallelism;

  @Option(
      names = "--concurrencies",
      split = ",",
      description =
          "Realtime ramp; the best throughput's concurrency is measured (default 1,2,4,8,16).")
  List<Integer> concurrencies = List.of(1, 2, 4, 8, 16);

  @Option(
      names = "--ramp-duration",
      converter = DurationConverter.class,
      description = "Each ramp step (default 4s).")
  Duration rampDuration = Duration.ofSeconds(4);

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description = "Each realtime measurement (default 10s).")
  Duration duration = Duration.ofSeconds(10);

  @Option(
      names = "--job-timeout",
      converter = DurationConverter.class,
      description = "A job not finished within this fails the run and is cancelled (default 2m).")
  Duration jobTimeout = Duration.ofMinutes(2);

  @Option(
      names = "--settle",
      description =
          "Pause after each round's realtime load before its jobs (default 11s): the routers'"
              + " realtime reserve (serval.router.async.realtime-window, 10s by default) keeps the"
              + " slots realtime traffic used from batch items until its window has passed, so"
              + " without the pause a job measures the reserve's lapse, not its own throughput."
              + " 0s measures a job started right after realtime load.",
      converter = DurationConverter.class)
  Duration settle = Duration.ofSeconds(11);

  @Option(names = "--workers", description = "Predictor workers (default 2).")
  int workers = 2;

  @Option(
      names = "--max-concurrency",
      description = "The API's maxConcurrency per replica in the routes file (default 8).")
  int maxConcurrency = 8;

  @Option(
      names = "--port-base",
      description = "First of 6 loopback ports used, 8 with a baseline (default 18850).")
  int portBase = 18850;

  @Option(
      names = "--router-url",
      description =
          "A router already serving the API (nothing is started; the realtime path and the jobs"
              + " go there), e.g. http://127.0.0.1:8080.")
  URI routerUrl;

  @Option(
      names = "--router-setting",
      description = "A setting of the started router, key=value (repeatable).")
  List<String> routerSettings = new ArrayList<>();

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
      description =
          "Another router build on the same predictor (its own store and jobs folder): every round"
              + " runs a job on it too, in alternating order with this build's.")
  Path baselineRouterJar;

  @Option(
      names = "--router-jvm-arg",
      description = "A JVM option of this build's router (repeatable), e.g. a profiling agent.")
  List<String> routerJvmArgs = new ArrayList<>();

  @Option(
      names = "--ready-timeout",
      converter = DurationConverter.class,
      description = "How long to wait for each server to become ready (default 120s).")
  Duration readyTimeout = Duration.ofSeconds(120);

  @Option(
      names = "--out",
      description = "Results folder (default: benchmarks/target/results/batch-TS).")
  Path out;

  private final StartedProcesses started = new StartedProcesses();

  public static void main(String[] args) {
    System.exit(new CommandLine(new BatchBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (items < 1 || rounds < 1 || concurrencies.isEmpty()) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--items, --rounds must be >= 1, --concurrencies not empty");
    }
    Path results =
        out != null
            ? out.toAbsolutePath()
            : repoRoot.resolve(
                "benchmarks/target/results/batch-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(results);
    Runtime.getRuntime().addShutdownHook(new Thread(started::stopAll, "stop-children"));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    ClosedLoopRunner runner = new ClosedLoopRunner();
    StringBuilder report = new StringBuilder();
    int status = 0;
    try {
      Workload workload =
          Workload.named(
              model,
              modelsDir != null ? modelsDir : repoRoot.resolve("models"),
              results.resolve("models"));
      List<JobRouter> routers =
          routerUrl != null
              ? List.of(new JobRouter("this", routerUrl, -1))
              : startAll(workload, results);
      URI router = routers.get(0).uri();
      Path jsonl = writeItems(workload, results.resolve("items.jsonl"), items);
      int maxC = concurrencies.stream().mapToInt(Integer::intValue).max().orElse(1);
      Map<String, BatchJobsClient> jobClients = new LinkedHashMap<>();
      try (RestTarget realtime =
          new RestTarget(
              workload,
              router.getHost(),
              router.getPort(),
              false,
              maxC,
              Duration.ofSeconds(60),
              vertx)) {
        for (JobRouter r : routers) {
          jobClients.put(r.name(), new BatchJobsClient(r.uri(), Duration.ofSeconds(60)));
        }
        realtime.fetchOutput(); // the path answers before it is measured
        Map<Integer, Double> ramp = new LinkedHashMap<>();
        for (int c : concurrencies) {
          LoadResult r = runner.run(realtime, c, Duration.ofSeconds(1), rampDuration, 1_000_000);
          ramp.put(c, r.throughput());
          System.out.printf(
              Locale.ROOT,
              "ramp realtime c=%d %.1f req/s (errors %d)%n",
              c,
              r.throughput(),
              r.errors());
        }
        int best = BatchRatio.bestConcurrency(ramp);
        String head =
            String.format(
                Locale.ROOT,
                "Batch benchmark: %s, REST JSON, one predictor (%d workers x 1 thread, batching off),"
                    + " routers %s; realtime (through the first) best at c=%d (ramp %s, %s per"
                    + " step); jobs of %d items (batchSize %s, parallelism %s); %d interleaved"
                    + " rounds.",
                workload.name(),
                workers,
                routers.stream().map(r -> r.name() + " " + r.uri()).toList(),
                best,
                BatchRatio.formatRamp(ramp),
                rampDuration,
                items,
                batchSize > 0 ? batchSize : "router's",
                parallelism > 0 ? parallelism : "router's",
                rounds);
        System.out.println(head);
        report.append(head).append("\n\n").append(BatchRatio.HEADER);
        List<Double> realtimeRates = new ArrayList<>();
        Map<String, List<Double>> batchRates = new LinkedHashMap<>();
        Map<String, List<Double>> cpuPerItem = new LinkedHashMap<>();
        for (JobRouter r : routers) {
          batchRates.put(r.name(), new ArrayList<>());
          cpuPerItem.put(r.name(), new ArrayList<>());
        }
        for (int round = 1; round <= rounds; round++) {
          LoadResult r = runner.run(realtime, best, Duration.ofSeconds(1), duration, 1_000_000);
          if (r.errors() > 0) {
            status = 1;
          }
          realtimeRates.add(r.throughput());
          String line =
              String.format(
                  Locale.ROOT,
                  "| %d | realtime c=%d | %d requests | %.1f | errors %d |%n",
                  round,
                  best,
                  r.requests(),
                  r.throughput(),
                  r.errors());
          System.out.print(line);
          report.append(line);
          if (settle.isPositive()) {
            // Pacing, not synchronisation: the reserve lapses by the clock (a window of the
            // router's), and nothing the router exposes says when.
            Thread.sleep(settle.toMillis());
          }
          // this build first in odd rounds, the baseline first in even ones
          List<JobRouter> order = new ArrayList<>(routers);
          if (round % 2 == 0) {
            Collections.reverse(order);
          }
          for (JobRouter jr : order) {
            BatchJobsClient jobs = jobClients.get(jr.name());
            Map<Long, Long> cpu0 = jr.pid() > 0 ? ProcessCpu.threadNanos(jr.pid()) : null;
            long start = System.nanoTime();
            BatchJob submitted = jobs.submit(workload.name(), jsonl, batchSize, parallelism);
            BatchJob done;
            try {
              done = jobs.awaitFinished(submitted.id(), Duration.ofMillis(100), jobTimeout);
            } catch (IOException e) {
              jobs.cancel(submitted.id());
              throw e;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<Long, Long> cpu1 = jr.pid() > 0 ? ProcessCpu.threadNanos(jr.pid()) : null;
            double msPerItem =
                cpu0 != null && cpu1 != null
                    ? ProcessCpu.nanosBetween(cpu0, cpu1) / 1e6 / items
                    : Double.NaN;
            double rate = items / seconds;
            batchRates.get(jr.name()).add(rate);
            cpuPerItem.get(jr.name()).add(msPerItem);
            if (!done.status().equals("succeeded") || done.succeeded() != items) {
              status = 1;
            }
            line =
                String.format(
                    Locale.ROOT,
                    "| %d | batch job on %s %s | %d items, %s: %d succeeded, %d failed | %.1f"
                        + " (router's clock: %s) | router CPU %.2f ms/item %s |%n",
                    round,
                    jr.name(),
                    done.id(),
                    items,
                    done.status(),
                    done.succeeded(),
                    done.failed(),
                    rate,
                    done.serverRunTime()
                        .map(d -> String.format(Locale.ROOT, "%.1f", items / (d.toNanos() / 1e9)))
                        .orElse("n/a"),
                    msPerItem,
                    done.error() == null ? "" : done.error());
            System.out.print(line);
            report.append(line);
          }
        }
        report.append('\n');
        for (JobRouter jr : routers) {
          String verdict =
              jr.name()
                  + ": "
                  + BatchRatio.verdict(realtimeRates, batchRates.get(jr.name()))
                  + String.format(
                      Locale.ROOT,
                      "; router CPU per item (median) %.2f ms",
                      BatchRatio.median(cpuPerItem.get(jr.name())));
          System.out.println(verdict);
          report.append(verdict).append('\n');
        }
        if (routers.size() == 2) {
          String vs =
              String.format(
                  Locale.ROOT,
                  "this / baseline batch throughput (medians): %.3f",
                  BatchRatio.median(batchRates.get("this"))
                      / BatchRatio.median(batchRates.get("baseline")));
          System.out.println(vs);
          report.append(vs).append('\n');
        }
      } finally {
        for (BatchJobsClient c : jobClients.values()) {
          c.close();
        }
      }
    } catch (IOException e) {
      System.out.println("FAILED " + e.getMessage());
      report.append("\nFAILED: ").append(e.getMessage()).append('\n');
      status = 1;
    } finally {
      started.stopAll();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      AppCopy.delete(results.resolve("predictor-app"));
      AppCopy.delete(results.resolve("this-router-app"));
      AppCopy.delete(results.resolve("baseline-router-app"));
    }
    Files.writeString(results.resolve("results.md"), report.toString());
    System.out.println("written " + results.resolve("results.md"));
    return status;
  }

  /** {@code n} copies of the workload's JSON request, one per line. */
  static Path writeItems(Workload workload, Path file, int n) throws IOException {
    byte[] line = RestTarget.header(workload, false);
    try (OutputStream o = Files.newOutputStream(file)) {
      for (int i = 0; i < n; i++) {
        o.write(line);
        o.write('\n');
      }
    }
    return file;
  }

  /** A router that runs jobs: its name in the report, its HTTP address, its process (or -1). */
  record JobRouter(String name, URI uri, long pid) {}

  private List<JobRouter> startAll(Workload workload, Path results)
      throws IOException, InterruptedException {
    Path predictor =
        AppCopy.copyQuarkusApp(
            predictorJar != null
                ? predictorJar
                : repoRoot.resolve("predictor-service/target/quarkus-app/quarkus-run.jar"),
            results.resolve("predictor-app"));
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("model.uri", workload.modelFile().toUri().toString());
    settings.put("model.name", workload.name());
    settings.put("workers", Integer.toString(workers));
    settings.put("threads-per-worker", "1");
    settings.put("batching.max-batch-size", "1");
    Path logs = results.resolve("logs");
    PredictorProcess p =
        started.track(
            PredictorProcess.start(
                predictor,
                settings,
                List.of(),
                portBase,
                portBase + 1,
                logs.resolve("predictor.log")));
    p.awaitReady(readyTimeout);
    Path routes =
        new StaticRoutesFile(
                workload.name(),
                workload.name(),
                HOST + ":" + (portBase + 1),
                maxConcurrency,
                1000,
                Duration.ofSeconds(60))
            .write(results.resolve("routes.json"));
    List<JobRouter> routers = new ArrayList<>();
    routers.add(
        startRouter(
            "this",
            routerJar != null
                ? routerJar
                : repoRoot.resolve("router-service/target/quarkus-app/quarkus-run.jar"),
            routerJvmArgs,
            routes,
            results,
            portBase + 2,
            portBase + 3));
    if (baselineRouterJar != null) {
      routers.add(
          startRouter(
              "baseline",
              baselineRouterJar,
              List.of(),
              routes,
              results,
              portBase + 6,
              portBase + 7));
    }
    return routers;
  }

  private JobRouter startRouter(
      String name, Path jar, List<String> jvmArgs, Path routes, Path results, int http, int grpc)
      throws IOException, InterruptedException {
    Path app = AppCopy.copyQuarkusApp(jar, results.resolve(name + "-router-app"));
    Path logs = results.resolve("logs");
    List<String> extra = new ArrayList<>(routerSettings);
    extra.add("serval.router.async.store.sqlite-file=" + results.resolve(name + "-store.db"));
    // the jobs' inputs and results in the results folder, not in the user's Serval home
    extra.add("serval.router.batch.jobs-directory=" + results.resolve(name + "-jobs"));
    ChildProcess child =
        started.track(
            ProxyLaunch.router(
                app,
                routes,
                http,
                grpc,
                portBase + 4,
                portBase + 5,
                jvmArgs,
                extra,
                logs.resolve(name + "-router.log"),
                readyTimeout));
    return new JobRouter(name, URI.create("http://" + HOST + ":" + http), child.pid());
  }
}
