package io.serval.operator.runtime.local;

import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.local.lifecycle.DesiredRevision;
import io.serval.operator.runtime.local.lifecycle.LifecyclePolicy;
import io.serval.operator.runtime.local.lifecycle.Ports;
import io.serval.operator.runtime.local.lifecycle.Replica;
import io.serval.operator.runtime.local.lifecycle.ReplicaFleet;
import io.serval.operator.runtime.local.lifecycle.ReplicaIo;
import io.serval.operator.runtime.local.lifecycle.ReplicaProcess;
import io.serval.operator.runtime.local.logs.ReplicaLogs;
import io.serval.operator.runtime.local.probe.HealthProbe;
import io.serval.operator.runtime.local.process.ChildProcess;
import io.serval.operator.runtime.local.process.PortAllocator;
import io.serval.operator.runtime.local.process.ProcessLauncher;
import io.serval.operator.runtime.local.record.RecordStore;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.RevisionRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs predictor replicas as child processes: a thin shell that ticks the replica lifecycle ({@link
 * ReplicaFleet}) on one loop thread and lends it the adapters, process launch ({@link
 * ProcessLauncher}), health probe ({@link HealthProbe}) and replica records ({@link RecordStore});
 * re-adopts on start the replicas a previous operator left running. Readers see an immutable
 * snapshot.
 */
public final class LocalReplicaManager {

  private static final Logger LOG = Logger.getLogger(LocalReplicaManager.class);

  private final LocalSettings settings;
  private final Supplier<Collection<ApiRecord>> desired;
  private final Consumer<String> endpointsChanged;
  private final Clock clock;
  private final ReplicaLogs logs;
  private final ProcessLauncher launcher;
  private final HealthProbe probe;
  private final RecordStore records;
  private final ReplicaFleet fleet;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("serval-local-runtime").daemon().unstarted(r));

  /** The desired APIs of the current tick, by name (loop thread only). */
  private Map<String, ApiRecord> apis = Map.of();

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
    this.desired = desired;
    this.endpointsChanged = endpointsChanged;
    this.clock = clock;
    this.logs = new ReplicaLogs(dir);
    this.launcher = new ProcessLauncher(logs, settings.workingDir());
    this.probe = new HealthProbe(settings.host(), settings.healthTimeout());
    this.records = new RecordStore(dir);
    this.fleet =
        new ReplicaFleet(
            new LifecyclePolicy(
                settings.backoff()::delay,
                settings.stableAfter(),
                settings.drainDelay(),
                settings.stopGrace()),
            new Io());
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
    return logs.tail(api, lines);
  }

  /**
   * Stops the loop; with {@code stopReplicas} also stops every replica (SIGTERM, then a kill after
   * the grace period), otherwise leaves them for the next operator to adopt.
   */
  public void shutdown(boolean stopReplicas) {
    List<ReplicaProcess> toStop = new ArrayList<>();
    try {
      loop.submit(
              () -> {
                if (stopReplicas) {
                  toStop.addAll(fleet.stopAll());
                }
              })
          .get(settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warnf("stopping replicas: %s", e.toString());
    }
    loop.shutdownNow();
    long deadline = System.nanoTime() + settings.stopGrace().toNanos();
    for (ReplicaProcess p : toStop) {
      if (!p.awaitExit(Duration.ofNanos(deadline - System.nanoTime()))) {
        p.kill();
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
    Map<String, ApiRecord> byName = new HashMap<>();
    List<DesiredRevision> wanted = new ArrayList<>();
    for (ApiRecord a : desired.get()) {
      byName.put(a.name(), a);
      for (String rev : a.activeRevisions()) {
        wanted.add(
            new DesiredRevision(a.name(), rev, a.desiredReplicas(), a.revision(rev).isPresent()));
      }
      observed.put(a.name(), a.generation());
    }
    apis = byName;
    Set<String> changed = fleet.reconcile(wanted, now);
    observed.keySet().retainAll(byName.keySet());
    observedView.keySet().retainAll(byName.keySet());
    observedView.putAll(observed);
    publish();
    changed.forEach(endpointsChanged);
  }

  private void publish() {
    published = fleet.view(settings.host());
  }

  /** Takes over replicas that a previous operator left running; forgets those that are gone. */
  private void adopt() {
    for (RecordStore.Live live : records.adoptable()) {
      var rec = live.record();
      fleet.adopt(
          rec.id(),
          rec.api(),
          rec.revision(),
          ChildProcess.adopted(live.process(), rec.processStart(), logs.file(rec.api(), rec.id())),
          new Ports(rec.httpPort(), rec.grpcPort()),
          rec.restarts());
    }
    publish();
  }

  private void probed(Replica r, ReplicaProcess probed, boolean ready) {
    if (fleet.probed(r, probed, ready, clock.instant())) {
      publish();
      endpointsChanged.accept(r.api());
    }
  }

  /** The lifecycle's effects, done by the adapters. */
  private final class Io implements ReplicaIo {

    @Override
    public Ports ports(Set<Integer> inUse) {
      return PortAllocator.pair(settings.host(), inUse);
    }

    @Override
    public ReplicaProcess launch(Replica r, Instant now) throws IOException {
      // The fleet launches only revisions marked launchable: those whose record exists.
      RevisionRecord revision = apis.get(r.api()).revision(r.revision()).orElseThrow();
      PredictorLaunch launch =
          PredictorLaunch.of(
              settings,
              r.api(),
              revision,
              r.id(),
              r.ports().http(),
              r.ports().grpc(),
              settings.fastStartFiles());
      return launcher.start(
          r.api(),
          r.id(),
          r.revision(),
          launch.command(),
          launch.environment(),
          settings.command().isEmpty(),
          now);
    }

    @Override
    public void probe(Replica r, ReplicaProcess process) {
      probe
          .ready(r.ports().http())
          .thenAccept(ready -> loop.execute(() -> probed(r, process, ready)));
    }

    @Override
    public void save(Replica r) {
      records.save(r);
    }

    @Override
    public void forget(Replica r) {
      records.delete(r);
    }
  }
}
