package io.serval.bench.router;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.serval.bench.AppCopy;
import io.serval.bench.DurationConverter;
import io.serval.bench.process.PredictorProcess;
import io.serval.bench.report.ResultChart;
import io.serval.bench.report.ResultPoints;
import io.serval.bench.target.GrpcTarget;
import io.serval.bench.target.RestTarget;
import io.serval.bench.workload.Workload;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import java.util.function.ToDoubleFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Router overhead measured with Debian's C load tools, so that the client costs the machine as
 * little as it can: h2load over HTTP/1.1 (or wrk) for HTTP (direct to the predictor, through nginx,
 * through the router) and h2load for gRPC (direct, through the router), at c=1, at half of
 * saturation and at c=64, in interleaved rounds. Half of saturation is the closed-loop concurrency
 * whose direct throughput came closest to half of the direct c=64 throughput in a ramp measured
 * after the warm-up. An optional second router jar (e.g. a build from before a change) runs beside
 * the first as a baseline.
 *
 * <pre>{@code
 * apt-get install -y wrk nghttp2-client nginx
 * ./mvnw -B -q -o -pl benchmarks compile exec:exec \
 *   -Dbench.main=io.serval.bench.router.RouterToolsBenchmark -Dbench.args="--rounds 3"
 * }</pre>
 */
@Command(
    name = "router-tools-benchmark",
    mixinStandardHelpOptions = true,
    description = "Router overhead against direct calls and nginx, measured with wrk and h2load.")
public final class RouterToolsBenchmark implements Callable<Integer> {
  private static final String HOST = PredictorProcess.HOST;
  private static final int SATURATION = HalfSaturation.SATURATION;
  private static final Duration RAMP_STEP = Duration.ofSeconds(3);

  @Option(names = "--rounds", description = "Interleaved measurement rounds (default 3).")
  int rounds = 3;

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description = "Length of one measurement (default 5s).")
  Duration duration = Duration.ofSeconds(5);

  @Option(
      names = "--warmup",
      converter = DurationConverter.class,
      description =
          "Unrecorded load on each path before the rounds (default 20s: the JIT is still"
              + " compiling after 10s).")
  Duration warmup = Duration.ofSeconds(20);

  @Option(names = "--workers", description = "Predictor workers (default 2).")
  int workers = 2;

  @Option(names = "--port-base", description = "First of 11 loopback ports used (default 18800).")
  int portBase = 18800;

  @Option(names = "--repo-root", description = "Repository root (default: current directory).")
  Path repoRoot = Path.of("").toAbsolutePath();

  @Option(names = "--router-jar", description = "Default: router-service quarkus-run.jar.")
  Path routerJar;

  @Option(
      names = "--baseline-router-jar",
      description = "A second router (quarkus-run.jar of another build) measured beside the first.")
  Path baselineRouterJar;

  @Option(
      names = "--router-setting",
      description =
          "A -D setting of the router (key=value, repeatable); {otlp} stands for --otlp-sink's"
              + " endpoint.")
  List<String> routerSettings = new ArrayList<>();

  @Option(
      names = "--baseline-router-setting",
      description = "A -D setting of the baseline router (key=value, repeatable).")
  List<String> baselineSettings = new ArrayList<>();

  @Option(
      names = "--baseline-same-jar",
      description =
          "The baseline is the router's own jar (to compare settings, e.g. tracing on and off).")
  boolean baselineSameJar;

  @Option(
      names = "--otlp-sink",
      description =
          "Start an OTLP/gRPC receiver that drops what it gets, for a traced router to export to.")
  boolean otlpSink;

  @Option(
      names = "--concurrency",
      split = ",",
      description =
          "Measure these concurrencies instead of 1, half saturation and saturation (e.g. 1).")
  List<Integer> concurrency;

  private OtlpSink sink;

  @Option(names = "--out", description = "Results directory (default benchmarks/target/results).")
  Path out;

  @Option(
      names = "--http-tool",
      description =
          "h2load (--h1, the default: exact percentiles from its per-request log) or wrk.")
  String httpTool = "h2load";

  @Option(
      names = "--lean-proxy",
      description =
          "Also measure LeanProxy (the router's REST codec on Vert.x and nothing else) over HTTP.")
  boolean leanProxy;

  @Option(
      names = "--pin",
      description =
          "taskset: the predictor and the load tool on CPU 0, each proxy (router, baseline, lean,"
              + " nginx) on CPU 1, as where routers and predictors do not share cores.")
  boolean pin;

  private final StartedProcesses started = new StartedProcesses();
  private final Map<String, Path> tools = new LinkedHashMap<>();
  private Workload workload;
  private Path wrkScript;
  private Path jsonBody;
  private Path grpcBody;

  /** One measured point. */
  record Point(int round, String protocol, String path, int concurrency, ToolRun run) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new RouterToolsBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    for (String tool : List.of("wrk", "h2load", "nginx")) {
      Path p = ProxyLaunch.find(tool);
      if (p == null) {
        System.err.println(
            tool
                + " not found; install the tools with: apt-get install -y wrk nghttp2-client nginx");
        return 2;
      }
      tools.put(tool, p);
    }
    Path results =
        out != null
            ? out.toAbsolutePath()
            : repoRoot.resolve(
                "benchmarks/target/results/router-tools-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(results);
    Runtime.getRuntime().addShutdownHook(new Thread(started::stopAll, "stop-children"));
    List<Point> points = new ArrayList<>();
    try {
      workload = Workload.named("tiny", repoRoot.resolve("models"), results.resolve("models"));
      Map<String, Integer> http = new LinkedHashMap<>();
      Map<String, Integer> grpc = new LinkedHashMap<>();
      if (pin) {
        // Children inherit it: the predictor and every load tool run on CPU 0.
        CpuPinning.pin(ProcessHandle.current().pid(), "0");
      }
      startAll(workload, tools.get("nginx"), results, http, grpc);
      wrkScript = results.resolve("request.lua");
      Files.writeString(wrkScript, luaScript(workload));
      jsonBody = results.resolve("request.json");
      Files.write(jsonBody, RestTarget.header(workload, false));
      grpcBody = results.resolve("request.grpc");
      Files.write(grpcBody, grpcFrame(GrpcTarget.request(workload)));
      check(workload, http, grpc);
      System.out.printf(
          Locale.ROOT, "HTTP measured with %s; warming up every path for %s%n", httpTool, warmup);
      for (int port : http.values()) {
        measure("http", port, 16, warmup);
      }
      for (int port : grpc.values()) {
        measure("grpc", port, 16, warmup);
      }
      List<Integer> httpLoads = loads("http", http.get("direct"));
      List<Integer> grpcLoads = loads("grpc", grpc.get("direct"));
      for (int round = 1; round <= rounds; round++) {
        for (int c : httpLoads) {
          for (Map.Entry<String, Integer> e : http.entrySet()) {
            ToolRun run = measure("http", e.getValue(), c, duration);
            points.add(report(new Point(round, "http", e.getKey(), c, run)));
          }
        }
        for (int c : grpcLoads) {
          for (Map.Entry<String, Integer> e : grpc.entrySet()) {
            ToolRun run = measure("grpc", e.getValue(), c, duration);
            points.add(report(new Point(round, "grpc", e.getKey(), c, run)));
          }
        }
      }
    } finally {
      started.stopAll();
      if (sink != null) {
        System.out.printf(
            Locale.ROOT, "OTLP sink received %d exports, %d bytes%n", sink.exports(), sink.bytes());
        sink.close();
      }
      AppCopy.delete(results.resolve("predictor-app"));
      AppCopy.delete(results.resolve("router-app"));
      AppCopy.delete(results.resolve("baseline-app"));
    }
    String table = summary(points);
    System.out.println();
    System.out.println(table);
    Files.writeString(results.resolve("results.md"), table);
    // The raw points, every round, so that the chart can be redrawn (RedrawCharts).
    Files.writeString(results.resolve("results.csv"), csv(points));
    ResultChart.write(
        results.resolve("results.png"),
        "RouterToolsBenchmark (medians over rounds)",
        ResultPoints.parse(csv(points)));
    System.out.println(
        "written " + results.resolve("results.md") + ", results.csv and results.png");
    return points.stream().anyMatch(p -> p.run().errors() > 0) ? 1 : 0;
  }

  private ToolRun measure(String protocol, int port, int concurrency, Duration length)
      throws IOException, InterruptedException {
    if (protocol.equals("grpc")) {
      return ToolRun.h2load(tools.get("h2load"), grpcBody, grpcUrl(port), concurrency, length);
    }
    String url = inferUrl(port, workload);
    return httpTool.equals("wrk")
        ? ToolRun.wrk(tools.get("wrk"), wrkScript, url, concurrency, length)
        : ToolRun.h2loadHttp1(tools.get("h2load"), jsonBody, url, concurrency, length);
  }

  /** c=1, half of saturation (from a ramp on the direct path) and saturation, for a protocol. */
  private List<Integer> loads(String protocol, int directPort)
      throws IOException, InterruptedException {
    if (concurrency != null && !concurrency.isEmpty()) {
      return concurrency;
    }
    Map<Integer, Double> ramp =
        HalfSaturation.ramp(c -> measure(protocol, directPort, c, RAMP_STEP).throughput());
    int half = HalfSaturation.pick(ramp, ramp.get(SATURATION));
    System.out.printf(
        Locale.ROOT, "%s direct ramp %s: half of saturation at c=%d%n", protocol, ramp, half);
    return half == 1 || half == SATURATION ? List.of(1, SATURATION) : List.of(1, half, SATURATION);
  }

  private static Point report(Point p) {
    System.out.printf(
        Locale.ROOT,
        "round %d %-4s %-8s c=%-2d %s%n",
        p.round(),
        p.protocol(),
        p.path(),
        p.concurrency(),
        p.run().describe());
    return p;
  }

  private void startAll(
      Workload workload,
      Path nginxBinary,
      Path results,
      Map<String, Integer> http,
      Map<String, Integer> grpc)
      throws IOException, InterruptedException {
    Duration ready = Duration.ofSeconds(120);
    Path logs = results.resolve("logs");
    Path predictorJar =
        AppCopy.copyQuarkusApp(
            repoRoot.resolve("predictor-service/target/quarkus-app/quarkus-run.jar"),
            results.resolve("predictor-app"));
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("model.uri", workload.modelFile().toUri().toString());
    settings.put("model.name", workload.name());
    settings.put("workers", Integer.toString(workers));
    settings.put("threads-per-worker", "1");
    settings.put("batching.max-batch-size", "1");
    PredictorProcess predictor =
        PredictorProcess.start(
            predictorJar,
            settings,
            List.of(),
            portBase,
            portBase + 1,
            logs.resolve("predictor.log"));
    started.track(predictor);
    predictor.awaitReady(ready);
    http.put("direct", portBase);
    grpc.put("direct", portBase + 1);
    Path routes =
        new StaticRoutesFile(
                workload.name(),
                workload.name(),
                HOST + ":" + (portBase + 1),
                256,
                1000,
                Duration.ofSeconds(10))
            .write(results.resolve("routes.json"));
    Map<String, Path> routers = new LinkedHashMap<>();
    routers.put(
        "router",
        routerJar != null
            ? routerJar
            : repoRoot.resolve("router-service/target/quarkus-app/quarkus-run.jar"));
    if (baselineRouterJar != null) {
      routers.put("baseline", baselineRouterJar);
    } else if (baselineSameJar) {
      routers.put("baseline", routers.get("router"));
    }
    if (otlpSink) {
      sink = new OtlpSink(HOST, 0);
      System.out.printf(Locale.ROOT, "OTLP sink at %s%n", sink.endpoint(HOST));
    }
    int port = portBase + 2;
    for (Map.Entry<String, Path> r : routers.entrySet()) {
      Path copy =
          AppCopy.copyQuarkusApp(
              r.getValue(),
              results.resolve(r.getKey().equals("router") ? "router-app" : "baseline-app"));
      System.out.printf(
          Locale.ROOT,
          "starting %s %s (http %d, grpc %d)%n",
          r.getKey(),
          r.getValue(),
          port,
          port + 1);
      proxy(
          ProxyLaunch.router(
              copy,
              routes,
              port,
              port + 1,
              portBase + 9,
              portBase + 10,
              settings(r.getKey().equals("router") ? routerSettings : baselineSettings),
              logs.resolve(r.getKey() + ".log"),
              ready));
      http.put(r.getKey(), port);
      grpc.put(r.getKey(), port + 1);
      port += 2;
    }
    if (leanProxy) {
      proxy(ProxyLaunch.leanProxy(port, portBase + 1, 2, logs.resolve("lean-proxy.log"), ready));
      http.put("lean", port);
      port++;
    }
    proxy(
        ProxyLaunch.nginx(
            nginxBinary,
            results.resolve("nginx"),
            port,
            portBase,
            logs.resolve("nginx.log"),
            ready));
    http.put("nginx", port);
  }

  private List<String> settings(List<String> given) {
    List<String> out = new ArrayList<>();
    for (String s : given) {
      out.add(sink == null ? s : s.replace("{otlp}", sink.endpoint(HOST)));
    }
    return out;
  }

  private void proxy(ChildProcess proxy) throws IOException, InterruptedException {
    started.track(proxy);
    if (pin) {
      CpuPinning.pin(proxy.pid(), "1");
    }
  }

  /** Every path must answer the model's output before its numbers mean anything. */
  private static void check(Workload workload, Map<String, Integer> http, Map<String, Integer> grpc)
      throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newHttpClient()) {
      for (Map.Entry<String, Integer> e : http.entrySet()) {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(URI.create(inferUrl(e.getValue(), workload)))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofByteArray(RestTarget.header(workload, false)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().contains("\"" + workload.outputName() + "\"")) {
          throw new IOException("check of http " + e.getKey() + " failed: " + r.body());
        }
      }
    }
    for (Map.Entry<String, Integer> e : grpc.entrySet()) {
      ManagedChannel channel =
          NettyChannelBuilder.forAddress(HOST, e.getValue()).usePlaintext().build();
      try {
        ModelInferResponse r =
            GRPCInferenceServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .modelInfer(GrpcTarget.request(workload));
        if (r.getOutputsCount() != 1 || !r.getOutputs(0).getName().equals(workload.outputName())) {
          throw new IOException("check of grpc " + e.getKey() + " failed: " + r);
        }
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static String inferUrl(int port, Workload workload) {
    return "http://" + HOST + ":" + port + "/v2/models/" + workload.name() + "/infer";
  }

  private static String grpcUrl(int port) {
    return "http://" + HOST + ":" + port + "/inference.GRPCInferenceService/ModelInfer";
  }

  static String luaScript(Workload workload) {
    String json = new String(RestTarget.header(workload, false), StandardCharsets.UTF_8);
    return "wrk.method = \"POST\"\n"
        + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
        + "wrk.body = [==["
        + json
        + "]==]\n";
  }

  /** The gRPC length-prefixed message h2load sends as the request body. */
  static byte[] grpcFrame(ModelInferRequest request) {
    byte[] message = request.toByteArray();
    return ByteBuffer.allocate(5 + message.length)
        .put((byte) 0)
        .putInt(message.length)
        .put(message)
        .array();
  }

  /** Medians over rounds, and per-round differences to the direct path, as a markdown table. */
  /** Every point as CSV: round, protocol, path, concurrency and the tool's figures. */
  static String csv(List<Point> points) {
    StringBuilder b =
        new StringBuilder(
            "round,protocol,path,concurrency,throughput_rps,p50_us,p99_us,mean_us,errors\n");
    for (Point p : points) {
      ToolRun r = p.run();
      b.append(
          String.format(
              Locale.ROOT,
              "%d,%s,%s,%d,%.2f,%.1f,%.1f,%.1f,%d%n",
              p.round(),
              p.protocol(),
              p.path(),
              p.concurrency(),
              r.throughput(),
              r.p50Micros(),
              r.p99Micros(),
              r.meanMicros(),
              r.errors()));
    }
    return b.toString();
  }

  static String summary(List<Point> points) {
    StringBuilder b = new StringBuilder();
    b.append(
        "| protocol | c | path | req/s | p50 µs | p99 µs | mean µs | p50 overhead µs | p99 overhead"
            + " µs | req/s / direct |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|\n");
    Map<String, List<Point>> byKey = new LinkedHashMap<>();
    for (Point p : points) {
      byKey
          .computeIfAbsent(
              p.protocol() + "/" + p.concurrency() + "/" + p.path(), k -> new ArrayList<>())
          .add(p);
    }
    for (List<Point> series : byKey.values()) {
      Point first = series.getFirst();
      List<Point> direct = byKey.get(first.protocol() + "/" + first.concurrency() + "/direct");
      List<Double> p50 = new ArrayList<>();
      List<Double> p99 = new ArrayList<>();
      List<Double> ratio = new ArrayList<>();
      for (int i = 0; i < series.size(); i++) {
        ToolRun d = direct.get(i).run();
        ToolRun r = series.get(i).run();
        p50.add(r.p50Micros() - d.p50Micros());
        p99.add(r.p99Micros() - d.p99Micros());
        ratio.add(r.throughput() / d.throughput());
      }
      boolean isDirect = first.path().equals("direct");
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %s | %.0f | %s | %s | %s | %s | %s | %s |%n",
              first.protocol(),
              first.concurrency(),
              first.path(),
              median(series, ToolRun::throughput),
              fmt(median(series, ToolRun::p50Micros)),
              fmt(median(series, ToolRun::p99Micros)),
              fmt(median(series, ToolRun::meanMicros)),
              isDirect ? "" : fmt(OverheadReport.median(p50)),
              isDirect ? "" : fmt(OverheadReport.median(p99)),
              isDirect ? "" : String.format(Locale.ROOT, "%.2f", OverheadReport.median(ratio))));
    }
    return b.toString();
  }

  private static double median(List<Point> series, ToDoubleFunction<ToolRun> f) {
    return OverheadReport.median(series.stream().map(p -> f.applyAsDouble(p.run())).toList());
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.0f", v);
  }
}
