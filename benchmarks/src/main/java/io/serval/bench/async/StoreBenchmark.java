package io.serval.bench.async;

import io.serval.bench.AppCopy;
import io.serval.bench.DurationConverter;
import io.serval.bench.process.PredictorProcess;
import io.serval.bench.router.ProxyLaunch;
import io.serval.bench.router.StartedProcesses;
import io.serval.bench.target.RestTarget;
import io.serval.bench.workload.InputTensor;
import io.serval.bench.workload.Workload;
import io.serval.store.AsyncStore;
import io.serval.store.NewAsyncRequest;
import io.serval.store.jdbc.JdbcAsyncStore;
import io.serval.store.jdbc.SqliteStores;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Store throughput (issue 14): async submits per second on SQLite (WAL, a file in the results
 * folder) and on PostgreSQL (a real server, started here from Debian's binaries), each through
 * {@link AsyncStore#submit} directly and through a router's REST intake ({@code POST infer} with
 * {@code Prefer: respond-async}, MiniLM-q's request in binary tensors), at every {@code --threads}
 * count of client threads. The routers' API has no replica, so their pumps claim nothing and the
 * intake is measured alone. Points are interleaved in rounds.
 *
 * <p>Run (after the install of docs/benchmarks.md): {@code ./mvnw -B -o -q -pl benchmarks exec:exec
 * -Dbench.main=io.serval.bench.async.StoreBenchmark -Dbench.args="--out /tmp/store-bench"}.
 * Loopback only; each point bounded by {@code --duration} and {@code --max-ops}.
 */
@Command(
    name = "store-benchmark",
    mixinStandardHelpOptions = true,
    description = "Async submits per second on SQLite and PostgreSQL, direct and via the router.")
public final class StoreBenchmark implements Callable<Integer> {
  private static final String HOST = PredictorProcess.HOST;
  private static final String API = "minilm";

  @Option(names = "--rounds", description = "Interleaved rounds (default 2).")
  int rounds = 2;

  @Option(
      names = "--threads",
      split = ",",
      description = "Client thread counts, one point each (default 1,4,16).")
  List<Integer> threads = List.of(1, 4, 16);

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description = "Measurement per point (default 5s).")
  Duration duration = Duration.ofSeconds(5);

  @Option(
      names = "--warmup",
      converter = DurationConverter.class,
      description = "Unrecorded load per path before the rounds (default 5s).")
  Duration warmup = Duration.ofSeconds(5);

  @Option(names = "--max-ops", description = "Most submits per point (default 200000).")
  long maxOps = 200_000;

  @Option(
      names = "--paths",
      split = ",",
      description =
          "Of store/sqlite, store/postgresql, rest/sqlite, rest/postgresql (default all; the"
              + " PostgreSQL ones need /usr/lib/postgresql).")
  List<String> paths =
      List.of("store/sqlite", "store/postgresql", "rest/sqlite", "rest/postgresql");

  @Option(
      names = "--pg-setting",
      description =
          "A PostgreSQL server setting name=value (repeatable), e.g. synchronous_commit=off.")
  List<String> pgSettings = new ArrayList<>();

  @Option(names = "--port-base", description = "First of 4 loopback ports used (default 18750).")
  int portBase = 18750;

  @Option(names = "--repo-root", description = "Repository root (default: current directory).")
  Path repoRoot = Path.of("").toAbsolutePath();

  @Option(
      names = "--models-dir",
      description = "Folder with all-minilm-l6-v2-q.onnx (default: models).")
  Path modelsDir;

  @Option(names = "--router-jar", description = "Default: router-service quarkus-run.jar.")
  Path routerJar;

  @Option(
      names = "--ready-timeout",
      converter = DurationConverter.class,
      description = "How long to wait for each router to become ready (default 120s).")
  Duration readyTimeout = Duration.ofSeconds(120);

  @Option(
      names = "--out",
      description = "Results folder (default: benchmarks/target/results/store-TS).")
  Path out;

  private final StartedProcesses started = new StartedProcesses();

  public static void main(String[] args) {
    System.exit(new CommandLine(new StoreBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (rounds < 1 || threads.stream().anyMatch(t -> t < 1)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--rounds and every --threads must be >= 1");
    }
    for (String p : paths) {
      if (!List.of("store/sqlite", "store/postgresql", "rest/sqlite", "rest/postgresql")
          .contains(p)) {
        throw new CommandLine.ParameterException(new CommandLine(this), "unknown path " + p);
      }
    }
    Path results =
        out != null
            ? out.toAbsolutePath()
            : repoRoot.resolve(
                "benchmarks/target/results/store-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(results);
    Runtime.getRuntime().addShutdownHook(new Thread(started::stopAll, "stop-children"));
    boolean needsPg = paths.stream().anyMatch(p -> p.endsWith("postgresql"));
    boolean needsRouter = paths.stream().anyMatch(p -> p.startsWith("rest/"));
    Optional<Path> pgBin = needsPg ? PostgresCluster.binaries() : Optional.empty();
    if (needsPg && pgBin.isEmpty()) {
      System.err.println("PostgreSQL is not installed (Debian: apt-get install postgresql)");
      return 2;
    }
    Path router =
        routerJar != null
            ? routerJar
            : repoRoot.resolve("router-service/target/quarkus-app/quarkus-run.jar");
    if (needsRouter && !Files.isRegularFile(router)) {
      System.err.println("jar not found: " + router);
      return 2;
    }
    Map<String, SubmitLoad.Operation> ops = new LinkedHashMap<>();
    List<AutoCloseable> clients = new ArrayList<>();
    StringBuilder report = new StringBuilder();
    int status = 0;
    try {
      Workload workload =
          Workload.named(
              API,
              modelsDir != null ? modelsDir : repoRoot.resolve("models"),
              results.resolve("models"));
      byte[] header = RestTarget.header(workload, true);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.writeBytes(header);
      for (InputTensor input : workload.inputs()) {
        body.writeBytes(input.littleEndianBytes());
      }
      PostgresCluster pg = null;
      if (needsPg) {
        System.out.println(
            "starting PostgreSQL " + pgBin.get().getParent().getFileName() + " " + pgSettings);
        pg = started.track(PostgresCluster.start(pgBin.get(), pgSettings));
      }
      // What the router stores per request is the decoded ModelInferRequest: for MiniLM's three
      // [1,128] INT64 inputs about as many bytes as the binary body.
      byte[] stored = new byte[body.size()];
      ThreadLocalRandom.current().nextBytes(stored);
      Path routerCopy =
          needsRouter ? AppCopy.copyQuarkusApp(router, results.resolve("router-app")) : null;
      int maxThreads = threads.stream().mapToInt(Integer::intValue).max().orElse(1);
      int port = portBase;
      for (String path : paths) {
        String[] kind = path.split("/");
        if (kind[0].equals("store")) {
          AsyncStore store =
              kind[1].equals("sqlite")
                  ? JdbcAsyncStore.open(
                      SqliteStores.file(results.resolve("store-direct.db"), Duration.ofSeconds(5)),
                      Clock.systemUTC())
                  : JdbcAsyncStore.open(pg.newDatabase("direct"), Clock.systemUTC());
          ops.put(
              path,
              t ->
                  store.submit(
                      new NewAsyncRequest(
                          newId(), API, "application/x-serval-infer-request", "", stored)));
        } else {
          int http = port++;
          int grpc = port++;
          List<String> extra = new ArrayList<>();
          extra.add("serval.router.async.max-backlog-per-api=100000000");
          if (kind[1].equals("sqlite")) {
            extra.add(
                "serval.router.async.store.sqlite-file=" + results.resolve("store-router.db"));
          } else {
            pg.newDatabase("router");
            extra.add("serval.router.async.store.kind=postgresql");
            extra.add("serval.router.async.store.jdbc-url=" + pg.jdbcUrl("router"));
            extra.add("serval.router.async.store.user=serval");
          }
          Path routes =
              new ParkedRoutesFile(API).write(results.resolve("routes-" + kind[1] + ".json"));
          System.out.printf(Locale.ROOT, "starting router on %s (http %d)%n", kind[1], http);
          started.track(
              ProxyLaunch.router(
                  routerCopy,
                  routes,
                  http,
                  grpc,
                  portBase + 10,
                  portBase + 11,
                  extra,
                  results.resolve("logs").resolve("router-" + kind[1] + ".log"),
                  readyTimeout));
          List<AsyncRestClient> perThread = new ArrayList<>();
          for (int t = 0; t < maxThreads; t++) {
            AsyncRestClient c =
                new AsyncRestClient(
                    HOST,
                    http,
                    API,
                    body.toByteArray(),
                    Integer.toString(header.length),
                    Duration.ofSeconds(30));
            perThread.add(c);
            clients.add(c);
          }
          ops.put(path, t -> perThread.get(t).submit());
        }
      }
      String head =
          String.format(
              Locale.ROOT,
              "Store benchmark: async submits per second (MiniLM-q request, %d bytes), paths %s;"
                  + " PostgreSQL settings %s; %d rounds of %s per point after %s unrecorded per path.",
              body.size(),
              paths,
              pgSettings.isEmpty() ? "default (fsync on)" : pgSettings,
              rounds,
              duration,
              warmup);
      System.out.println(head);
      report
          .append(head)
          .append("\n\n| round | path | threads | submits/s | errors |\n|---|---|---|---|---|\n");
      for (Map.Entry<String, SubmitLoad.Operation> e : ops.entrySet()) {
        SubmitLoad.Result r = SubmitLoad.run(maxThreads, warmup, maxOps, e.getValue());
        System.out.printf(
            Locale.ROOT,
            "warm-up %-16s %8.0f/s errors %d%n",
            e.getKey(),
            r.perSecond(),
            r.errors());
      }
      for (int round = 1; round <= rounds; round++) {
        for (int t : threads) {
          for (Map.Entry<String, SubmitLoad.Operation> e : ops.entrySet()) {
            SubmitLoad.Result r = SubmitLoad.run(t, duration, maxOps, e.getValue());
            String line =
                String.format(
                    Locale.ROOT,
                    "| %d | %s | %d | %.0f | %d%s |%n",
                    round,
                    e.getKey(),
                    t,
                    r.perSecond(),
                    r.errors(),
                    r.firstError() == null ? "" : " (" + r.firstError() + ")");
            System.out.print(line);
            report.append(line);
            if (r.errors() > 0) {
              status = 1;
            }
          }
        }
      }
    } catch (IOException e) {
      System.out.println("FAILED " + e.getMessage());
      report.append("\nFAILED: ").append(e.getMessage()).append('\n');
      status = 1;
    } finally {
      for (AutoCloseable c : clients) {
        c.close();
      }
      started.stopAll();
      AppCopy.delete(results.resolve("router-app"));
    }
    Files.writeString(results.resolve("results.md"), report.toString());
    System.out.println("written " + results.resolve("results.md"));
    return status;
  }

  private static final SecureRandom IDS = new SecureRandom();

  private static String newId() {
    byte[] b = new byte[16];
    IDS.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
