package io.serval.bench.router;

import io.serval.bench.DurationConverter;
import io.serval.bench.process.PredictorProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What large and slow clients cost the router (issue 12, item 4), on loopback, against a router on
 * a static routes file whose one API is served by an in-process {@link SinkPredictor}:
 *
 * <ol>
 *   <li>The router's resident memory with {@code --idle-connections} connections that each declare
 *       a {@code --declared}-byte body and send none of it.
 *   <li>{@code /q/health/live} latency (p50, p99, max), probed every {@code --probe-interval},
 *       first alone (baseline), then while {@code --big-clients} clients each send {@code
 *       --big-body}-byte JSON bodies back to back, with the router's peak resident memory then.
 * </ol>
 *
 * <p>Run: {@code ./mvnw -B -o -pl benchmarks compile exec:exec
 * -Dbench.main=io.serval.bench.router.RouterLimitsBenchmark -Dbench.args=""}; needs the
 * router-service build. Everything is bounded: connections by the option, each phase by its
 * duration.
 */
@Command(
    name = "router-limits-benchmark",
    mixinStandardHelpOptions = true,
    description = "Router memory and health latency under large and idle bodies (loopback).")
public final class RouterLimitsBenchmark implements Callable<Integer> {
  private static final String HOST = PredictorProcess.HOST;
  private static final String API = "big";

  @Option(names = "--idle-connections", description = "Default 1000 (at most 5000).")
  int idleConnections = 1000;

  @Option(names = "--declared", description = "Content-Length each idle one declares (64 MiB).")
  long declared = 64L << 20;

  @Option(names = "--big-clients", description = "Clients sending large bodies (default 4).")
  int bigClients = 4;

  @Option(names = "--big-body", description = "Bytes of each large JSON body (default 66000000).")
  int bigBody = 66_000_000;

  @Option(
      names = "--baseline",
      converter = DurationConverter.class,
      description = "Health probing alone (default 10s).")
  Duration baseline = Duration.ofSeconds(10);

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description = "Health probing beside the large bodies (default 30s).")
  Duration duration = Duration.ofSeconds(30);

  @Option(
      names = "--probe-interval",
      converter = DurationConverter.class,
      description = "Pause between health probes (default 10ms).")
  Duration probeInterval = Duration.ofMillis(10);

  @Option(names = "--port-base", description = "First of 5 loopback ports used (default 18700).")
  int portBase = 18700;

  @Option(
      names = "--ready-timeout",
      converter = DurationConverter.class,
      description = "How long to wait for the router to become ready (default 120s).")
  Duration readyTimeout = Duration.ofSeconds(120);

  @Option(names = "--repo-root", description = "Repository root (default: current directory).")
  Path repoRoot = Path.of("").toAbsolutePath();

  @Option(names = "--router-jar", description = "Default: router-service quarkus-run.jar.")
  Path routerJar;

  public static void main(String[] args) {
    System.exit(new CommandLine(new RouterLimitsBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (idleConnections < 0 || idleConnections > 5000 || bigClients < 0 || bigClients > 16) {
      throw new IllegalArgumentException("--idle-connections 0..5000 and --big-clients 0..16");
    }
    Path jar =
        routerJar != null
            ? routerJar
            : repoRoot.resolve("router-service/target/quarkus-app/quarkus-run.jar");
    Path dir = Files.createTempDirectory("router-limits");
    try (SinkPredictor sink = new SinkPredictor(portBase, 256 << 20)) {
      Path routes =
          new StaticRoutesFile(API, "sink", sink.address(), 8, 64, Duration.ofSeconds(120))
              .write(dir.resolve("routes.json"));
      try (ChildProcess router =
          ProxyLaunch.router(
              jar,
              routes,
              portBase + 1,
              portBase + 2,
              portBase + 3,
              portBase + 4,
              dir.resolve("router.log"),
              readyTimeout)) {
        int port = portBase + 1;
        System.out.printf(Locale.ROOT, "router pid %d, log %s%n", router.pid(), dir);
        idlePhase(router.pid(), port);
        latencyPhase(router.pid(), port);
      }
    }
    return 0;
  }

  /** Resident memory with many connections that each declare a large body and send nothing. */
  private void idlePhase(long pid, int port) throws Exception {
    long before = rssKb(pid);
    List<Socket> sockets = new ArrayList<>();
    try {
      byte[] head =
          ("POST /v2/models/"
                  + API
                  + "/infer HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + declared
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1);
      for (int i = 0; i < idleConnections; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(HOST, port), 5000);
        OutputStream out = s.getOutputStream();
        out.write(head);
        out.flush();
        sockets.add(s);
      }
      Thread.sleep(3000); // bounded settle: the router reads every head
      long after = rssKb(pid);
      System.out.printf(
          Locale.ROOT,
          "idle: %d connections each declaring %d bytes: router RSS %.1f MiB before, %.1f MiB"
              + " after (+%.1f MiB, %.1f KiB per connection); body bytes held: %s%n",
          idleConnections,
          declared,
          before / 1024.0,
          after / 1024.0,
          (after - before) / 1024.0,
          idleConnections == 0 ? 0.0 : (after - before) / (double) idleConnections,
          metric(port, "serval_router_body_bytes_in_flight"));
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  /** Health latency alone, then beside clients sending large JSON bodies. */
  private void latencyPhase(long pid, int port) throws Exception {
    HttpClient probeClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI health = URI.create("http://" + HOST + ":" + port + "/q/health/live");
    Histogram alone = probe(probeClient, health, baseline, () -> {});
    report("health alone", alone, rssKb(pid));

    byte[] body = bigJson(bigBody);
    AtomicBoolean stop = new AtomicBoolean();
    Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    LongAdder failures = new LongAdder();
    List<Thread> senders = new ArrayList<>();
    URI infer = URI.create("http://" + HOST + ":" + port + "/v2/models/" + API + "/infer");
    for (int i = 0; i < bigClients; i++) {
      Thread t =
          Thread.ofPlatform()
              .name("big-" + i)
              .start(
                  () -> {
                    HttpClient c =
                        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    while (!stop.get()) {
                      try {
                        HttpResponse<Void> r =
                            c.send(
                                HttpRequest.newBuilder(infer)
                                    .timeout(Duration.ofSeconds(120))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build(),
                                HttpResponse.BodyHandlers.discarding());
                        statuses.computeIfAbsent(r.statusCode(), k -> new LongAdder()).increment();
                      } catch (IOException e) {
                        failures.increment();
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
      senders.add(t);
    }
    AtomicLong peak = new AtomicLong();
    Histogram beside =
        probe(probeClient, health, duration, () -> peak.accumulateAndGet(rssKb(pid), Math::max));
    stop.set(true);
    for (Thread t : senders) {
      t.join(Duration.ofSeconds(150));
      t.interrupt();
    }
    report(
        "health beside " + bigClients + " x " + bigBody + "-byte JSON bodies", beside, peak.get());
    System.out.printf(
        Locale.ROOT,
        "large requests answered by status %s, transport failures %d%n",
        statuses.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue().sum())
            .sorted()
            .toList(),
        failures.sum());
  }

  private Histogram probe(HttpClient client, URI url, Duration length, Runnable sample)
      throws Exception {
    Histogram h = new Histogram(60_000_000_000L, 3);
    long end = System.nanoTime() + length.toNanos();
    long nextSample = 0;
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      HttpResponse<Void> r =
          client.send(
              HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      long took = System.nanoTime() - t0;
      if (r.statusCode() != 200) {
        throw new IllegalStateException("health answered " + r.statusCode());
      }
      h.recordValue(took);
      if (t0 > nextSample) {
        sample.run();
        nextSample = t0 + 500_000_000L;
      }
      Thread.sleep(probeInterval);
    }
    return h;
  }

  private static void report(String what, Histogram h, long rssKb) {
    System.out.printf(
        Locale.ROOT,
        "%s: %d probes, p50 %.2f ms, p99 %.2f ms, max %.2f ms; router RSS %s %.1f MiB%n",
        what,
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1e6,
        h.getValueAtPercentile(99) / 1e6,
        h.getMaxValue() / 1e6,
        what.startsWith("health alone") ? "now" : "peak",
        rssKb / 1024.0);
  }

  /** A V2 JSON request of about {@code bytes} bytes: one INT8 tensor of zeros. */
  static byte[] bigJson(int bytes) {
    String head = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT8\",\"shape\":[1,";
    int values = (bytes - head.length() - 40) / 2;
    StringBuilder b = new StringBuilder(bytes);
    b.append(head).append(values).append("],\"data\":[0");
    for (int i = 1; i < values; i++) {
      b.append(",0");
    }
    b.append("]}]}");
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  private static String metric(int port, String name) {
    try {
      String text =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + "/q/metrics"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return text.lines()
          .filter(l -> l.startsWith(name))
          .map(l -> l.substring(l.lastIndexOf(' ') + 1))
          .findFirst()
          .orElse("n/a");
    } catch (IOException | InterruptedException e) {
      return "n/a (" + e + ")";
    }
  }
}
