package io.serval.operator.runtime.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaPhase;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.AtomicFiles;
import io.serval.operator.state.RevisionRecord;
import io.serval.security.UriRedaction;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs predictor replicas as child processes: starts what the desired state asks for on free ports,
 * probes /v2/health/ready, restarts the dead with backoff, stops the surplus (out of routes first,
 * then SIGTERM, then a kill after the grace period), and re-adopts replicas left running by a
 * previous operator. All replica state lives on one loop thread; readers see an immutable snapshot.
 */
public final class LocalReplicaManager {

  private static final Logger LOG = Logger.getLogger(LocalReplicaManager.class);

  /** Rotate a replica log above this size when the replica (re)starts. */
  private static final long MAX_LOG_BYTES = 10L << 20;

  /** JVM crash reports of a replica: {id}-crash-pid{pid}.txt beside its log. */
  private static final String CRASH_REPORT = "-crash-pid";

  private static final int CRASH_REPORTS_KEPT = 3;

  /** Written to a replica's log before each start. */
  static final String START_MARKER = "--- serval: starting replica ";

  /** Lines at the end of a dead replica's log searched for a JVM fatal-error report. */
  private static final int CRASH_REPORT_LINES = 400;

  /** Consecutive failed probes before a ready replica leaves the routes. */
  private static final int FAILED_PROBES_TO_UNREADY = 3;

  private final LocalSettings settings;
  private final Path dir;
  private final Supplier<Collection<ApiRecord>> desired;
  private final Consumer<String> endpointsChanged;
  private final Clock clock;
  private final HttpClient http;
  private final ObjectMapper json =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("serval-local-runtime").daemon().unstarted(r));

  private final Map<String, Replica> replicas = new LinkedHashMap<>();
  private final Map<String, Long> observed = new HashMap<>();
  private volatile Map<String, List<ReplicaInfo>> published = Map.of();
  private final Map<String, Long> observedView = new ConcurrentHashMap<>();

  /**
   * @param dir where replica records and logs are kept ({state-dir}/replicas)
   * @param endpointsChanged told the API name whenever a replica enters or leaves the routes
   */
  public LocalReplicaManager(
      LocalSettings settings,
      Path dir,
      Supplier<Collection<ApiRecord>> desired,
      Consumer<String> endpointsChanged,
      Clock clock) {
    this.settings = settings;
    this.dir = dir;
    this.desired = desired;
    this.endpointsChanged = endpointsChanged;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(settings.healthTimeout()).build();
  }

  public void start() {
    loop.execute(this::adopt);
    loop.scheduleWithFixedDelay(
        this::tickSafely, 0, settings.tick().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Reconcile now rather than at the next tick (the desired state changed). */
  public void poke() {
    loop.execute(this::tickSafely);
  }

  public List<ReplicaInfo> replicas(String api) {
    return published.getOrDefault(api, List.of());
  }

  public long observedGeneration(String api) {
    return observedView.getOrDefault(api, 0L);
  }

  public List<String> logs(String api, int lines) {
    Path apiDir = dir.resolve(api);
    if (!Files.isDirectory(apiDir)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    try (var files = Files.list(apiDir)) {
      for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        String id = log.getFileName().toString().replaceFirst("\\.log$", "");
        LogTail.last(log, lines).forEach(l -> out.add(id + " | " + l));
      }
    } catch (IOException e) {
      return List.of("(cannot list " + apiDir + ": " + e.getMessage() + ")");
    }
    return out.size() > lines ? out.subList(out.size() - lines, out.size()) : out;
  }

  /**
   * Stops the loop; with {@code stopReplicas} also stops every replica (SIGTERM, then a kill after
   * the grace period), otherwise leaves them for the next operator to adopt.
   */
  public void shutdown(boolean stopReplicas) {
    List<ProcessHandle> toStop = new ArrayList<>();
    try {
      loop.submit(
              () -> {
                if (stopReplicas) {
                  for (Replica r : replicas.values()) {
                    if (r.alive()) {
                      r.process.destroy();
                      toStop.add(r.process);
                    }
                    deleteRecord(r);
                  }
                }
              })
          .get(settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warnf("stopping replicas: %s", e.toString());
    }
    loop.shutdownNow();
    long deadline = System.nanoTime() + settings.stopGrace().toNanos();
    for (ProcessHandle p : toStop) {
      long left = deadline - System.nanoTime();
      try {
        p.onExit().get(Math.max(1, left), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
  }

  // ------------------------------------------------------------------ loop thread only

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.error("local runtime reconcile failed", e);
    }
  }

  private void tick() {
    Instant now = clock.instant();
    boolean changed = false;
    Set<String> changedApis = new HashSet<>();
    Map<String, ApiRecord> apis = new HashMap<>();
    for (ApiRecord a : desired.get()) {
      apis.put(a.name(), a);
    }
    // 1. replicas to add or retire, per API and revision
    Map<String, List<Replica>> groups = new HashMap<>();
    for (Replica r : replicas.values()) {
      if (r.phase != ReplicaPhase.STOPPING) {
        groups.computeIfAbsent(r.api + "/" + r.revision, k -> new ArrayList<>()).add(r);
      }
    }
    Set<String> wanted = new HashSet<>();
    for (ApiRecord a : apis.values()) {
      for (String rev : a.activeRevisions()) {
        String key = a.name() + "/" + rev;
        wanted.add(key);
        Optional<RevisionRecord> revision = a.revision(rev);
        if (revision.isEmpty()) {
          continue;
        }
        List<Replica> have = groups.getOrDefault(key, List.of());
        int want = a.desiredReplicas();
        if (have.size() < want) {
          for (int i = have.size(); i < want; i++) {
            Replica r = newReplica(freeId(a.name(), rev), a.name(), rev);
            replicas.put(r.id, r);
            launch(r, revision.get(), now);
          }
        } else if (have.size() > want) {
          List<Replica> surplus = new ArrayList<>(have);
          surplus.sort(
              Comparator.comparing((Replica r) -> r.phase == ReplicaPhase.READY)
                  .thenComparing(r -> r.id, Comparator.reverseOrder()));
          for (Replica r : surplus.subList(0, have.size() - want)) {
            changed |= retire(r, now, changedApis);
          }
        }
      }
      observed.put(a.name(), a.generation());
    }
    for (Map.Entry<String, List<Replica>> g : groups.entrySet()) {
      if (!wanted.contains(g.getKey())) {
        for (Replica r : g.getValue()) {
          changed |= retire(r, now, changedApis);
        }
      }
    }
    // 2. each replica's own lifecycle
    for (Replica r : new ArrayList<>(replicas.values())) {
      changed |= step(r, apis.get(r.api), now, changedApis);
    }
    observed.keySet().retainAll(apis.keySet());
    observedView.keySet().retainAll(apis.keySet());
    observedView.putAll(observed);
    publish();
    if (changed) {
      changedApis.forEach(endpointsChanged);
    }
  }

  private boolean step(Replica r, ApiRecord api, Instant now, Set<String> changedApis) {
    switch (r.phase) {
      case STOPPING -> {
        if (!r.alive()) {
          replicas.remove(r.id);
          deleteRecord(r);
          LOG.infof("%s: replica %s stopped", r.api, r.id);
          changedApis.add(r.api);
          return true;
        }
        if (!r.termSent && !now.isBefore(r.stopAt)) {
          r.process.destroy();
          r.termSent = true;
        } else if (r.termSent && now.isAfter(r.stopAt.plus(settings.stopGrace()))) {
          LOG.warnf(
              "%s: replica %s ignored SIGTERM for %s, killing it",
              r.api, r.id, settings.stopGrace());
          r.process.destroyForcibly();
        }
        return false;
      }
      case RESTARTING -> {
        if (!now.isBefore(r.nextStartAt)) {
          Optional<RevisionRecord> revision =
              api == null ? Optional.empty() : api.revision(r.revision);
          if (revision.isEmpty()) {
            replicas.remove(r.id);
            return false;
          }
          launch(r, revision.get(), now);
        }
        return false;
      }
      case STARTING, READY -> {
        if (!r.alive()) {
          return died(r, now, changedApis);
        }
        if (r.phase == ReplicaPhase.READY && r.schedule.settle(now)) {
          LOG.infof(
              "%s: replica %s stayed ready for %s: its deaths are forgotten",
              r.api, r.id, settings.stableAfter());
          r.message = null;
          writeRecord(r);
        }
        probe(r);
        return false;
      }
      default -> {
        return false;
      }
    }
  }

  private boolean died(Replica r, Instant now, Set<String> changedApis) {
    boolean wasReady = r.phase == ReplicaPhase.READY;
    Optional<Integer> code =
        r.child != null && !r.child.isAlive() ? Optional.of(r.child.exitValue()) : Optional.empty();
    // The end of its output holds a JVM fatal-error report when native code killed it.
    r.message =
        ExitSignal.describe(code, sinceLastStart(LogTail.last(logFile(r), CRASH_REPORT_LINES)));
    r.nextStartAt = r.schedule.died(now, r.message);
    Duration wait = Duration.between(now, r.nextStartAt);
    r.phase = ReplicaPhase.RESTARTING;
    LOG.warnf(
        "%s: replica %s %s (death %d), restarting in %s",
        r.api, r.id, r.message, r.schedule.deaths(), wait);
    if (wasReady) {
      changedApis.add(r.api);
    }
    return wasReady;
  }

  private boolean retire(Replica r, Instant now, Set<String> changedApis) {
    boolean wasReady = r.phase == ReplicaPhase.READY;
    if (!r.alive()) {
      replicas.remove(r.id);
      deleteRecord(r);
      if (wasReady) {
        changedApis.add(r.api);
      }
      return wasReady;
    }
    // Out of the routes first; the signal follows after the drain delay.
    r.phase = ReplicaPhase.STOPPING;
    r.stopAt = now.plus(settings.drainDelay());
    LOG.infof("%s: stopping replica %s", r.api, r.id);
    changedApis.add(r.api);
    return true;
  }

  private void launch(Replica r, RevisionRecord revision, Instant now) {
    Set<Integer> taken = new HashSet<>();
    replicas
        .values()
        .forEach(
            x -> {
              taken.add(x.httpPort);
              taken.add(x.grpcPort);
            });
    r.httpPort = PortAllocator.free(settings.host(), taken);
    taken.add(r.httpPort);
    r.grpcPort = PortAllocator.free(settings.host(), taken);
    PredictorLaunch launch =
        PredictorLaunch.of(settings, r.api, revision, r.id, r.httpPort, r.grpcPort);
    Path log = logFile(r);
    try {
      Files.createDirectories(log.getParent());
      if (Files.exists(log) && Files.size(log) > MAX_LOG_BYTES) {
        Files.move(log, log.resolveSibling(r.id + ".log.1"), StandardCopyOption.REPLACE_EXISTING);
      }
      // Marks where this run's output begins: a crash report above it belongs to an earlier run.
      Files.writeString(
          log,
          START_MARKER + r.id + " (revision " + r.revision + ") at " + now + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      List<String> command = new ArrayList<>(launch.command());
      if (settings.command().isEmpty()) {
        // A JVM killed by native code (ONNX Runtime's SIGFPE) writes its crash report next to the
        // replica's log, not into the working directory (the repository root under serval up).
        pruneCrashReports(log.getParent(), r.id);
        command.add(1, "-XX:ErrorFile=" + log.resolveSibling(r.id + CRASH_REPORT + "%p.txt"));
      }
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(settings.workingDir().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().putAll(launch.environment());
      Process p = pb.start();
      r.child = p;
      r.process = p.toHandle();
      r.processStart = p.toHandle().info().startInstant().orElse(now);
      r.phase = ReplicaPhase.STARTING;
      r.failedProbes = 0;
      writeRecord(r);
      LOG.infof(
          "%s: started replica %s (revision %s, pid %d, http %d, grpc %d)",
          r.api, r.id, r.revision, p.pid(), r.httpPort, r.grpcPort);
    } catch (IOException e) {
      r.phase = ReplicaPhase.RESTARTING;
      r.message = "cannot start: " + e.getMessage();
      r.nextStartAt = r.schedule.died(now, r.message);
      LOG.errorf(
          "%s: cannot start replica %s: %s", r.api, r.id, UriRedaction.redactIn(e.getMessage()));
    }
  }

  private void probe(Replica r) {
    if (r.probeInFlight) {
      return;
    }
    r.probeInFlight = true;
    ProcessHandle probed = r.process;
    HttpRequest req =
        HttpRequest.newBuilder(
                URI.create("http://" + settings.host() + ":" + r.httpPort + "/v2/health/ready"))
            .timeout(settings.healthTimeout())
            .GET()
            .build();
    http.sendAsync(req, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (resp, err) ->
                loop.execute(() -> probed(r, probed, err == null && resp.statusCode() == 200)));
  }

  private void probed(Replica r, ProcessHandle probed, boolean ready) {
    r.probeInFlight = false;
    if (replicas.get(r.id) != r || r.process != probed) {
      return; // restarted or stopped meanwhile: this answer is about an old process
    }
    if (ready) {
      r.failedProbes = 0;
      if (r.phase == ReplicaPhase.STARTING) {
        r.phase = ReplicaPhase.READY;
        r.schedule.ready(clock.instant());
        LOG.infof("%s: replica %s ready", r.api, r.id);
        publish();
        endpointsChanged.accept(r.api);
      }
    } else if (r.phase == ReplicaPhase.READY && ++r.failedProbes >= FAILED_PROBES_TO_UNREADY) {
      r.phase = ReplicaPhase.STARTING;
      r.schedule.notReady();
      r.message = "not ready (" + r.failedProbes + " failed probes)";
      LOG.warnf("%s: replica %s no longer ready", r.api, r.id);
      publish();
      endpointsChanged.accept(r.api);
    }
  }

  private void publish() {
    Map<String, List<ReplicaInfo>> view = new HashMap<>();
    for (Replica r : replicas.values()) {
      view.computeIfAbsent(r.api, k -> new ArrayList<>()).add(r.info(settings.host()));
    }
    view.replaceAll((k, v) -> List.copyOf(v));
    published = Map.copyOf(view);
  }

  private Replica newReplica(String id, String api, String rev) {
    return new Replica(
        id, api, rev, new RestartSchedule(settings.backoff(), settings.stableAfter()));
  }

  /** Keeps the newest {@link #CRASH_REPORTS_KEPT} JVM crash reports of a replica. */
  private static void pruneCrashReports(Path apiDir, String replicaId) {
    String prefix = replicaId + CRASH_REPORT;
    try (var files = Files.list(apiDir)) {
      List<Path> reports =
          files
              .filter(f -> f.getFileName().toString().startsWith(prefix))
              .sorted(Comparator.comparing(LocalReplicaManager::modified).reversed())
              .toList();
      for (Path old :
          reports.subList(Math.min(CRASH_REPORTS_KEPT, reports.size()), reports.size())) {
        Files.deleteIfExists(old);
      }
    } catch (IOException e) {
      LOG.debugf("cannot prune crash reports in %s: %s", apiDir, e.getMessage());
    }
  }

  private static java.nio.file.attribute.FileTime modified(Path f) {
    try {
      return Files.getLastModifiedTime(f);
    } catch (IOException e) {
      return java.nio.file.attribute.FileTime.fromMillis(0);
    }
  }

  /** The lines of the replica's latest run (after the last start marker). */
  static List<String> sinceLastStart(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith(START_MARKER)) {
        return lines.subList(i + 1, lines.size());
      }
    }
    return lines;
  }

  private Path logFile(Replica r) {
    return dir.resolve(r.api).resolve(r.id + ".log");
  }

  private String freeId(String api, String rev) {
    for (int i = 0; ; i++) {
      String id = api + "-" + rev + "-" + i;
      if (!replicas.containsKey(id)) {
        return id;
      }
    }
  }

  /** Takes over replicas that a previous operator left running; forgets those that are gone. */
  private void adopt() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var walk = Files.walk(dir, 2)) {
      for (Path p : walk.filter(f -> f.toString().endsWith(".json")).toList()) {
        ReplicaRecord rec;
        try {
          rec = json.readValue(p.toFile(), ReplicaRecord.class);
        } catch (IOException e) {
          LOG.warnf("ignoring unreadable replica record %s: %s", p, e.getMessage());
          continue;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(rec.pid());
        boolean same =
            h.isPresent()
                && h.get().isAlive()
                && h.get()
                    .info()
                    .startInstant()
                    .map(s -> s.equals(rec.processStart()))
                    .orElse(false);
        if (!same) {
          AtomicFiles.delete(p);
          continue;
        }
        Replica r = newReplica(rec.id(), rec.api(), rec.revision());
        r.process = h.get();
        r.processStart = rec.processStart();
        r.httpPort = rec.httpPort();
        r.grpcPort = rec.grpcPort();
        r.schedule.restoreDeaths(rec.restarts());
        replicas.put(r.id, r);
        LOG.infof("%s: re-adopted replica %s (pid %d)", r.api, r.id, rec.pid());
      }
    } catch (IOException e) {
      LOG.errorf("cannot read replica records in %s: %s", dir, e.getMessage());
    }
    publish();
  }

  private void writeRecord(Replica r) {
    try {
      AtomicFiles.write(
          dir.resolve(r.api).resolve(r.id + ".json"), json.writeValueAsBytes(r.record()));
    } catch (IOException e) {
      LOG.errorf("cannot write replica record of %s: %s", r.id, e.getMessage());
    }
  }

  private void deleteRecord(Replica r) {
    try {
      AtomicFiles.delete(dir.resolve(r.api).resolve(r.id + ".json"));
    } catch (IOException e) {
      LOG.errorf("cannot delete replica record of %s: %s", r.id, e.getMessage());
    }
  }
}
