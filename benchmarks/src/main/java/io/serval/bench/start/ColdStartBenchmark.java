package io.serval.bench.start;

import io.serval.bench.DurationConverter;
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
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Replica cold start (issue 16, target 1): launches the predictor as the operator's local runtime
 * does (same jar, JVM options and settings; MiniLM-q; warm-up on) again and again, the variants
 * interleaved (A, B, A, B, ...: each round starts with the next one), and prints launch → ready
 * (GET /v2/health/ready answering 200) with the phases read from the predictor's log, the CPU the
 * process spent to get there, and the first request's latency next to the steady one.
 *
 * <pre>{@code
 * ./mvnw -B -q -o -pl benchmarks compile exec:exec \
 *   -Dbench.main=io.serval.bench.start.ColdStartBenchmark -Dbench.args="--launches 10"
 * }</pre>
 *
 * Default variants: {@code as-before} (the jar, launched with the local runtime's JVM options
 * alone, as before fast-start) and {@code fast-start} (the same jar with the AOT cache and ONNX
 * Runtime's native libraries the build left beside it). {@code --variant
 * NAME,JAR[,fast][,KEY=VALUE][,-JVMOPTION]...} replaces them, e.g. a build of an older commit as
 * the baseline.
 */
@Command(
    name = "cold-start-benchmark",
    mixinStandardHelpOptions = true,
    description =
        "Predictor launch to ready, as the local runtime launches it, variants interleaved.")
public final class ColdStartBenchmark implements Callable<Integer> {
  private static final Duration POLL = Duration.ofMillis(10);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  private static final String INFER_BODY =
      """
      {"inputs":[
       {"name":"input_ids","datatype":"INT64","shape":[1,8],"data":[101,7592,2088,2003,1037,3231,102,0]},
       {"name":"attention_mask","datatype":"INT64","shape":[1,8],"data":[1,1,1,1,1,1,1,0]},
       {"name":"token_type_ids","datatype":"INT64","shape":[1,8],"data":[0,0,0,0,0,0,0,0]}]}
      """;

  @Option(names = "--repo-root", description = "The repository (default: working directory).")
  Path repoRoot = Path.of(".");

  @Option(names = "--launches", description = "Launches of each variant (default 10).")
  int launches = 10;

  @Option(
      names = "--variant",
      description =
          "NAME,JAR[,fast][,KEY=VALUE][,-JVMOPTION]...: JAR relative to the repository; fast"
              + " passes the build's fast-start files; KEY=VALUE a predictor setting"
              + " (warmup=false); -JVMOPTION a JVM option of this variant. Repeat; the first is the"
              + " baseline of the ratios.")
  List<String> variantSpecs = new ArrayList<>();

  @Option(names = "--model", description = "The model (default models/all-minilm-l6-v2-q.onnx).")
  Path model = Path.of("models/all-minilm-l6-v2-q.onnx");

  @Option(names = "--jvm-arg", description = "Extra JVM option of every launch (a profiler).")
  List<String> jvmArgs = new ArrayList<>();

  @Option(
      names = "--timeout",
      converter = DurationConverter.class,
      description = "Longest a launch may take to be ready (default 60s).")
  Duration timeout = Duration.ofSeconds(60);

  @Option(names = "--requests", description = "Requests after ready (default 20).")
  int requests = 20;

  @Option(
      names = "--out",
      description = "Logs and the table (default benchmarks/target/cold-start).")
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ColdStartBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path root = repoRoot.toAbsolutePath().normalize();
    Path dir =
        out != null
            ? out
            : root.resolve("benchmarks/target/cold-start")
                .resolve(
                    LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(dir);
    List<StartVariant> variants = new ArrayList<>();
    if (variantSpecs.isEmpty()) {
      String jar = "predictor-service/target/quarkus-app/quarkus-run.jar";
      variants.add(StartVariant.parse("as-before," + jar, root));
      variants.add(StartVariant.parse("fast-start," + jar + ",fast", root));
    } else {
      for (String s : variantSpecs) {
        variants.add(StartVariant.parse(s, root));
      }
    }
    Path modelFile = root.resolve(model).toRealPath();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    System.out.printf(
        "cold start: %d launches x %d variants, model %s, java %s, load average %s%n",
        launches, variants.size(), modelFile, Runtime.version(), loadAverage());
    for (StartVariant v : variants) {
      System.out.printf(
          "  %s: %s%s %s%n",
          v.name(), v.jar(), v.fast() ? " (fast-start files)" : "", v.settings());
    }
    List<LaunchResult> results = new ArrayList<>();
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      for (int round = 0; round < launches; round++) {
        for (int k = 0; k < variants.size(); k++) {
          StartVariant v = variants.get((round + k) % variants.size());
          LaunchResult r = launch(http, java, v, modelFile, dir, round, root);
          results.add(r);
          System.out.printf(
              "round %d %-12s ready %5d ms  cpu %5d ms  main %4d  init %5d  model %4d"
                  + " (ort %d, sessions %d, warm-up %d)  first %.1f ms  steady %.1f ms  load %s%n",
              round + 1,
              v.name(),
              r.ready(),
              r.cpu(),
              r.log().main(),
              r.log().boot(),
              r.log().model(),
              r.log().ortLibrary(),
              r.log().sessions(),
              r.log().warmup(),
              r.firstRequest(),
              r.steadyRequest(),
              loadAverage());
        }
      }
    }
    String table = StartTable.markdown(variants.stream().map(StartVariant::name).toList(), results);
    String header =
        "Cold start, "
            + launches
            + " launches per variant interleaved, load average after the run "
            + loadAverage()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs, java "
            + Runtime.version()
            + "\n\n";
    Files.writeString(dir.resolve("cold-start.md"), header + table);
    System.out.println();
    System.out.print(header + table);
    System.out.println("\nlogs and table: " + dir);
    return 0;
  }

  private LaunchResult launch(
      HttpClient http, String java, StartVariant v, Path modelFile, Path dir, int round, Path root)
      throws Exception {
    int httpPort = freePort();
    int grpcPort = freePort();
    List<String> cmd =
        StartCommand.of(
            java, v, modelFile, httpPort, grpcPort, Runtime.version().feature(), jvmArgs);
    Path log = dir.resolve(v.name() + "-" + (round + 1) + ".log");
    Files.writeString(log, "");
    long launchMillis = System.currentTimeMillis();
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      URI ready = URI.create("http://127.0.0.1:" + httpPort + "/v2/health/ready");
      long readyMs = awaitReady(http, p, ready, t0, log);
      long cpu = cpuMillis(p.pid());
      double[] latencies = requests(http, httpPort);
      double first = latencies.length == 0 ? Double.NaN : latencies[0];
      double steady =
          latencies.length < 2
              ? Double.NaN
              : StartTable.median(Arrays.copyOfRange(latencies, 1, latencies.length));
      stop(p);
      StartLog phases =
          StartLog.parse(Files.readAllLines(log), launchMillis, ZoneId.systemDefault());
      return new LaunchResult(v.name(), phases, readyMs, cpu, first, steady);
    } finally {
      if (p.isAlive()) {
        p.toHandle().destroyForcibly();
        p.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
      }
    }
  }

  private long awaitReady(HttpClient http, Process p, URI ready, long t0, Path log)
      throws Exception {
    HttpRequest req = HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build();
    long deadline = t0 + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("the predictor exited (" + p.exitValue() + ") before ready; " + log);
      }
      try {
        if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return (System.nanoTime() - t0) / 1_000_000;
        }
      } catch (IOException notListeningYet) {
        // poll again
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
    throw new IOException("the predictor was not ready within " + timeout + "; " + log);
  }

  private double[] requests(HttpClient http, int port) throws Exception {
    HttpRequest infer =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/models/minilm/infer"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(INFER_BODY))
            .build();
    double[] out = new double[requests];
    for (int i = 0; i < requests; i++) {
      long t = System.nanoTime();
      int status = http.send(infer, HttpResponse.BodyHandlers.discarding()).statusCode();
      out[i] = (System.nanoTime() - t) / 1e6;
      if (status != 200) {
        throw new IOException("inference answered " + status);
      }
    }
    return out;
  }

  /** User + system CPU of a process so far (/proc/PID/stat, clock ticks of 10 ms); -1 unknown. */
  static long cpuMillis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields 14 and 15 of stat; f[0] is field 3
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static void stop(Process p) throws InterruptedException {
    p.toHandle().destroy();
    if (!p.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
      p.toHandle().destroyForcibly();
      p.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }
}
