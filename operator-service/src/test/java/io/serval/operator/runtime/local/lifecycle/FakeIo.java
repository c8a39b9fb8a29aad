package io.serval.operator.runtime.local.lifecycle;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Records what the lifecycle asks of the world; launches {@link FakeProcess}es. */
final class FakeIo implements ReplicaIo {

  record Probe(Replica replica, ReplicaProcess process) {}

  private int nextPort = 40000;
  private long nextPid = 100;

  /** Decides each launch: the process to return, or null to fail with "no such file". */
  Function<Replica, FakeProcess> onLaunch;

  final List<FakeProcess> launched = new ArrayList<>();
  final List<Probe> probes = new ArrayList<>();
  final List<String> saved = new ArrayList<>();
  final List<String> forgotten = new ArrayList<>();
  final List<Set<Integer>> portsAskedAvoiding = new ArrayList<>();

  FakeIo() {
    onLaunch = r -> new FakeProcess(nextPid++, Instant.EPOCH);
  }

  @Override
  public Ports ports(Set<Integer> inUse) {
    portsAskedAvoiding.add(Set.copyOf(inUse));
    return new Ports(nextPort++, nextPort++);
  }

  @Override
  public ReplicaProcess launch(Replica replica, Instant now) throws IOException {
    FakeProcess p = onLaunch.apply(replica);
    if (p == null) {
      throw new IOException("no such file");
    }
    launched.add(p);
    return p;
  }

  @Override
  public void probe(Replica replica, ReplicaProcess process) {
    probes.add(new Probe(replica, process));
  }

  @Override
  public void save(Replica replica) {
    saved.add(replica.id());
  }

  @Override
  public void forget(Replica replica) {
    forgotten.add(replica.id());
  }

  FakeProcess last() {
    return launched.getLast();
  }
}
