package io.serval.operator.runtime.local.lifecycle;

import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaPhase;
import io.serval.security.UriRedaction;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The replicas of the local runtime and their lifecycles, without I/O of its own: each {@link
 * #reconcile} starts what the desired revisions lack, retires the surplus and the replicas of
 * revisions no longer wanted, then steps every replica (restart the dead after their backoff, probe
 * the live, stop the retired). All effects go through {@link ReplicaIo}; time comes in as {@code
 * now}. Not thread-safe: one thread (the runtime's loop) calls every method.
 */
public final class ReplicaFleet {

  private static final Logger LOG = Logger.getLogger(ReplicaFleet.class);

  private final LifecyclePolicy policy;
  private final ReplicaIo io;
  private final Map<String, Replica> replicas = new LinkedHashMap<>();

  public ReplicaFleet(LifecyclePolicy policy, ReplicaIo io) {
    this.policy = policy;
    this.io = io;
  }

  /**
   * One reconcile pass.
   *
   * @param desired every active revision of every API (an API absent here has no replicas wanted)
   * @return the APIs whose routes changed (a replica entered or left them)
   */
  public Set<String> reconcile(Collection<DesiredRevision> desired, Instant now) {
    Set<String> changed = new LinkedHashSet<>();
    // 1. replicas to add or retire, per API and revision
    Map<String, List<Replica>> groups = new HashMap<>();
    for (Replica r : replicas.values()) {
      if (r.phase() != ReplicaPhase.STOPPING) {
        groups.computeIfAbsent(r.api() + "/" + r.revision(), k -> new ArrayList<>()).add(r);
      }
    }
    Map<String, DesiredRevision> wanted = new HashMap<>();
    for (DesiredRevision d : desired) {
      wanted.put(d.group(), d);
      if (!d.launchable()) {
        continue;
      }
      ScaleDiff diff = ScaleDiff.of(groups.getOrDefault(d.group(), List.of()), d.replicas());
      for (int i = 0; i < diff.toStart(); i++) {
        Replica r = add(freeId(d.api(), d.revision()), d.api(), d.revision());
        launch(r, now);
      }
      diff.toRetire().forEach(r -> retire(r, now, changed));
    }
    for (Map.Entry<String, List<Replica>> g : groups.entrySet()) {
      if (!wanted.containsKey(g.getKey())) {
        g.getValue().forEach(r -> retire(r, now, changed));
      }
    }
    // 2. each replica's own lifecycle
    for (Replica r : new ArrayList<>(replicas.values())) {
      step(r, wanted.get(r.api() + "/" + r.revision()), now, changed);
    }
    return changed;
  }

  /**
   * A probe answer about {@code probed}, one of the replica's processes.
   *
   * @return true when the replica entered or left the routes
   */
  public boolean probed(Replica r, ReplicaProcess probed, boolean ready, Instant now) {
    r.probeAnswered();
    if (replicas.get(r.id()) != r || r.process() != probed) {
      return false; // restarted or stopped meanwhile: this answer is about an old process
    }
    switch (r.probed(ready, now)) {
      case BECAME_READY -> {
        LOG.infof("%s: replica %s ready", r.api(), r.id());
        return true;
      }
      case BECAME_UNREADY -> {
        LOG.warnf("%s: replica %s no longer ready", r.api(), r.id());
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  /** Takes over a live process that a previous operator started, with its recorded deaths. */
  public Replica adopt(
      String id, String api, String revision, ReplicaProcess process, Ports ports, int deaths) {
    Replica r = add(id, api, revision);
    r.adopted(process, ports, deaths);
    LOG.infof("%s: re-adopted replica %s (pid %d)", api, id, process.pid());
    return r;
  }

  /**
   * Signals every live replica to stop (SIGTERM) and forgets every record.
   *
   * @return the processes signalled, for the caller to wait for
   */
  public List<ReplicaProcess> stopAll() {
    List<ReplicaProcess> signalled = new ArrayList<>();
    for (Replica r : replicas.values()) {
      if (r.alive()) {
        r.process().terminate();
        signalled.add(r.process());
      }
      io.forget(r);
    }
    return signalled;
  }

  /** Every replica by API, as the runtime reports them; {@code host} is where ports listen. */
  public Map<String, List<ReplicaInfo>> view(String host) {
    Map<String, List<ReplicaInfo>> view = new HashMap<>();
    for (Replica r : replicas.values()) {
      view.computeIfAbsent(r.api(), k -> new ArrayList<>()).add(r.info(host));
    }
    view.replaceAll((k, v) -> List.copyOf(v));
    return Map.copyOf(view);
  }

  public Collection<Replica> replicas() {
    return List.copyOf(replicas.values());
  }

  // ------------------------------------------------------------------ steps

  private void step(Replica r, DesiredRevision wanted, Instant now, Set<String> changed) {
    switch (r.phase()) {
      case STOPPING -> stopping(r, now, changed);
      case RESTARTING -> {
        if (r.mayRestart(now)) {
          if (wanted == null || !wanted.launchable()) {
            replicas.remove(r.id());
            return;
          }
          launch(r, now);
        }
      }
      case STARTING, READY -> {
        if (!r.alive()) {
          died(r, now, changed);
          return;
        }
        if (r.settle(now)) {
          LOG.infof(
              "%s: replica %s stayed ready for %s: its deaths are forgotten",
              r.api(), r.id(), policy.stableAfter());
          io.save(r);
        }
        if (r.startProbe()) {
          io.probe(r, r.process());
        }
      }
    }
  }

  private void stopping(Replica r, Instant now, Set<String> changed) {
    if (!r.alive()) {
      replicas.remove(r.id());
      io.forget(r);
      LOG.infof("%s: replica %s stopped", r.api(), r.id());
      changed.add(r.api());
      return;
    }
    switch (r.stopStep(now, policy.stopGrace())) {
      case TERMINATE -> r.process().terminate();
      case KILL -> {
        LOG.warnf(
            "%s: replica %s ignored SIGTERM for %s, killing it",
            r.api(), r.id(), policy.stopGrace());
        r.process().kill();
      }
      case WAIT -> {}
    }
  }

  private void died(Replica r, Instant now, Set<String> changed) {
    boolean wasReady = r.died(now);
    Duration wait = r.backoffLeft(now);
    LOG.warnf(
        "%s: replica %s %s (death %d), restarting in %s",
        r.api(), r.id(), r.message(), r.restarts(), wait);
    if (wasReady) {
      changed.add(r.api());
    }
  }

  private void retire(Replica r, Instant now, Set<String> changed) {
    if (!r.alive()) {
      replicas.remove(r.id());
      io.forget(r);
      if (r.ready()) {
        changed.add(r.api());
      }
      return;
    }
    // Out of the routes first; the signal follows after the drain delay.
    r.drain(now, policy.drainDelay());
    LOG.infof("%s: stopping replica %s", r.api(), r.id());
    changed.add(r.api());
  }

  private void launch(Replica r, Instant now) {
    Set<Integer> inUse = new HashSet<>();
    for (Replica x : replicas.values()) {
      inUse.add(x.ports().http());
      inUse.add(x.ports().grpc());
    }
    r.assign(io.ports(inUse));
    try {
      ReplicaProcess p = io.launch(r, now);
      r.launched(p);
      io.save(r);
      LOG.infof(
          "%s: started replica %s (revision %s, pid %d, http %d, grpc %d)",
          r.api(), r.id(), r.revision(), p.pid(), r.ports().http(), r.ports().grpc());
    } catch (IOException e) {
      r.launchFailed(e.getMessage(), now);
      LOG.errorf(
          "%s: cannot start replica %s: %s",
          r.api(), r.id(), UriRedaction.redactIn(e.getMessage()));
    }
  }

  private Replica add(String id, String api, String revision) {
    Replica r =
        new Replica(id, api, revision, new RestartSchedule(policy.backoff(), policy.stableAfter()));
    replicas.put(id, r);
    return r;
  }

  private String freeId(String api, String rev) {
    for (int i = 0; ; i++) {
      String id = api + "-" + rev + "-" + i;
      if (!replicas.containsKey(id)) {
        return id;
      }
    }
  }
}
