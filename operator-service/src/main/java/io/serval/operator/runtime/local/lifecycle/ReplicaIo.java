package io.serval.operator.runtime.local.lifecycle;

import java.io.IOException;
import java.time.Instant;
import java.util.Set;

/**
 * Everything the lifecycle asks of the outside world. The local runtime implements it with its
 * process, probe and record adapters; tests with fakes. Called on the fleet's thread only.
 */
public interface ReplicaIo {

  /** Two free ports, none of {@code inUse} (the ports of every replica the fleet tracks). */
  Ports ports(Set<Integer> inUse);

  /**
   * Starts a process for the replica on its ports (already assigned).
   *
   * @throws IOException when the process cannot start; the lifecycle counts that as a death
   */
  ReplicaProcess launch(Replica replica, Instant now) throws IOException;

  /**
   * Asks the replica's process whether it is ready; the answer comes back later, on the fleet's
   * thread, through {@link ReplicaFleet#probed}.
   */
  void probe(Replica replica, ReplicaProcess process);

  /** Keeps the replica's record, so that a restarted operator can adopt its process. */
  void save(Replica replica);

  /** Forgets the replica's record. */
  void forget(Replica replica);
}
