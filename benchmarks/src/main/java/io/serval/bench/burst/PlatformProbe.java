package io.serval.bench.burst;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Polls the platform while the load runs, on two threads so that a slow answer from one service
 * does not delay the other polls: one takes a sample every {@code replicaPeriod} with the API's
 * replicas from the operator's state directory and each replica's readiness and request count
 * (until it has answered a request); the other reads the autoscaler's last decision and the
 * operator's replica counts every {@code servicePeriod}, which the samples carry. The times of the
 * decision and its delivery come from the autoscaler, a replica's launch from the line the operator
 * writes at the head of its log ({@code --- serval: starting replica ID (revision R) at INSTANT});
 * readiness and the first answer are known to within one replica period (longer on a busy machine:
 * the stamp is when the answer arrived).
 */
final class PlatformProbe implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The operator's first line in a replica's log (operator ReplicaLogs.START_MARKER). */
  static final String START_MARKER = "--- serval: starting replica ";

  private static final Pattern REQUESTS =
      Pattern.compile(
          "^serval_predictor_requests_total(\\{[^}]*\\})?\\s+(\\S+)$", Pattern.MULTILINE);

  private final Path replicaDir;
  private final URI decisionUrl;
  private final URI apiUrl;
  private final Supplier<String> operatorToken;
  private final Duration replicaPeriod;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
  private final Duration servicePeriod;
  private final List<ProbeSample> samples = new CopyOnWriteArrayList<>();
  private final Map<String, ReplicaState> known = new HashMap<>();
  private final Thread replicaThread;
  private final Thread serviceThread;
  private volatile boolean stopped;
  private volatile Optional<Decision> lastDecision = Optional.empty();
  private volatile int[] counts = {-1, -1};

  PlatformProbe(
      String api,
      Path stateDir,
      int autoscalerHttp,
      int operatorHttp,
      Supplier<String> operatorToken,
      Duration replicaPeriod,
      Duration servicePeriod) {
    this.replicaDir = stateDir.resolve("replicas").resolve(api);
    this.decisionUrl =
        URI.create("http://127.0.0.1:" + autoscalerHttp + "/v1/autoscaler/apis/" + api);
    this.apiUrl = URI.create("http://127.0.0.1:" + operatorHttp + "/v1/apis/" + api);
    this.operatorToken = operatorToken;
    this.replicaPeriod = replicaPeriod;
    this.servicePeriod = servicePeriod;
    this.replicaThread =
        Thread.ofPlatform().daemon().name("burst-probe-replicas").unstarted(this::replicaLoop);
    this.serviceThread =
        Thread.ofPlatform().daemon().name("burst-probe-services").unstarted(this::serviceLoop);
  }

  void start() {
    serviceThread.start();
    replicaThread.start();
  }

  /** Whether a replica not in {@code before} has answered a request. */
  boolean newReplicaServed(Set<String> before) {
    ProbeSample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
    return last != null
        && last.replicas().stream().anyMatch(r -> !before.contains(r.id()) && r.served() > 0);
  }

  /** The samples so far, in the order taken. */
  List<ProbeSample> samples() {
    return List.copyOf(samples);
  }

  private void replicaLoop() {
    while (!stopped) {
      long next = System.nanoTime() + replicaPeriod.toNanos();
      List<ReplicaState> replicas = pollReplicas();
      int[] c = counts;
      samples.add(new ProbeSample(System.currentTimeMillis(), lastDecision, replicas, c[0], c[1]));
      pause(next);
    }
  }

  private void serviceLoop() {
    while (!stopped) {
      long next = System.nanoTime() + servicePeriod.toNanos();
      get(decisionUrl, null).map(PlatformProbe::decision).ifPresent(d -> lastDecision = d);
      Optional<JsonNode> status = get(apiUrl, operatorToken.get());
      if (status.isPresent()) {
        JsonNode replicas = status.get().path("status").path("replicas");
        counts = new int[] {replicas.path("requested").asInt(-1), replicas.path("ready").asInt(-1)};
      }
      pause(next);
    }
  }

  private static void pause(long untilNanos) {
    long wait = untilNanos - System.nanoTime();
    if (wait > 0) {
      LockSupport.parkNanos(wait);
    }
  }

  static Optional<Decision> decision(JsonNode view) {
    if (view.path("decidedAt").isMissingNode() || view.path("decidedAt").isNull()) {
      return Optional.empty();
    }
    JsonNode delivery = view.path("delivery");
    JsonNode panicAverage = view.path("inputs").path("panicWindow").path("averageInFlight");
    return Optional.of(
        new Decision(
            millis(view.path("decidedAt")),
            view.path("panic").asBoolean(),
            view.path("desiredReplicas").asInt(-1),
            view.path("inputs").path("currentReplicas").asInt(-1),
            panicAverage.isNumber() ? panicAverage.asDouble() : Double.NaN,
            delivery.path("state").asText(""),
            delivery.path("replicas").asInt(-1),
            delivery.path("at").isTextual() ? millis(delivery.path("at")) : -1));
  }

  private static long millis(JsonNode instant) {
    return instant.isNumber()
        ? Math.round(instant.asDouble() * 1000)
        : Instant.parse(instant.asText()).toEpochMilli();
  }

  private List<ReplicaState> pollReplicas() {
    List<ReplicaState> out = new ArrayList<>();
    for (JsonNode r : records()) {
      String id = r.path("id").asText();
      ReplicaState last = known.get(id);
      long launched = last != null ? last.launchedAtMillis() : launchedAt(id);
      boolean healthy = last != null && last.healthy();
      double served = last != null ? last.served() : 0;
      int port = r.path("httpPort").asInt();
      // Once a replica has answered a request there is nothing more to learn from it.
      if (served == 0) {
        if (!healthy) {
          healthy = status(URI.create("http://127.0.0.1:" + port + "/v2/health/ready")) == 200;
        }
        if (healthy) {
          served = requestsServed(port);
        }
      }
      ReplicaState now = new ReplicaState(id, launched, healthy, served);
      known.put(id, now);
      out.add(now);
    }
    return out;
  }

  /**
   * When the operator launched the replica, from the first line of its log; when that cannot be
   * read, now (the record was first seen at this poll). The record's {@code processStart} is no use
   * here: Linux gives a process's start to the whole second only.
   */
  private long launchedAt(String id) {
    Path log = replicaDir.resolve(id + ".log");
    try (BufferedReader in = Files.newBufferedReader(log)) {
      return launchInstant(in.readLine()).orElseGet(System::currentTimeMillis);
    } catch (IOException | RuntimeException e) {
      return System.currentTimeMillis();
    }
  }

  /** The instant at the end of the operator's start line, {@code ... at 2026-12-05T03:19:10Z}. */
  static OptionalLong launchInstant(String firstLine) {
    if (firstLine == null || !firstLine.startsWith(START_MARKER)) {
      return OptionalLong.empty();
    }
    int at = firstLine.lastIndexOf(" at ");
    try {
      return OptionalLong.of(Instant.parse(firstLine.substring(at + 4).trim()).toEpochMilli());
    } catch (RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  private List<JsonNode> records() {
    if (!Files.isDirectory(replicaDir)) {
      return List.of();
    }
    List<JsonNode> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(replicaDir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        try {
          out.add(JSON.readTree(f.toFile()));
        } catch (IOException replacedWhileRead) {
          // the operator rewrites records atomically; the next poll reads the new one
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    return out;
  }

  private double requestsServed(int port) {
    String text = text(URI.create("http://127.0.0.1:" + port + "/q/metrics")).orElse("");
    Matcher m = REQUESTS.matcher(text);
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(2));
    }
    return sum;
  }

  private int status(URI url) {
    try {
      return http.send(
              HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(1)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private Optional<String> text(URI url) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(1)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private Optional<JsonNode> get(URI url, String token) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2));
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    stopped = true;
    try {
      replicaThread.join(Duration.ofSeconds(5));
      serviceThread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.close();
  }
}
