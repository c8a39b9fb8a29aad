package io.serval.router.dispatch;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes a replica out of rotation after it refused {@code threshold} requests in a row, until a
 * health check on it succeeds. Routes only list ready replicas, but they lag a crash by the
 * operator's reaction time; ejection stops the router from offering every request to a dead replica
 * meanwhile.
 */
public final class ReplicaEjector {
  private final int threshold;
  private final ConcurrentHashMap<String, Integer> failures = new ConcurrentHashMap<>();
  private final Set<String> ejected = ConcurrentHashMap.newKeySet();

  public ReplicaEjector(int threshold) {
    if (threshold < 1) {
      throw new IllegalArgumentException("ejection threshold must be >= 1, got " + threshold);
    }
    this.threshold = threshold;
  }

  /**
   * @return true when this failure ejected the replica
   */
  public boolean recordFailure(String replica) {
    int n = failures.merge(replica, 1, Integer::sum);
    return n >= threshold && ejected.add(replica);
  }

  /**
   * Takes the replica out of rotation at once, whatever its record.
   *
   * @return true when this call ejected it
   */
  public boolean eject(String replica) {
    return ejected.add(replica);
  }

  public void recordSuccess(String replica) {
    if (!failures.isEmpty()) {
      failures.remove(replica);
    }
  }

  public boolean isEjected(String replica) {
    return !ejected.isEmpty() && ejected.contains(replica);
  }

  public boolean usable(String replica) {
    return !isEjected(replica);
  }

  /** The ejected replicas, for the health checker. */
  public Set<String> ejected() {
    return Set.copyOf(ejected);
  }

  /** A health check succeeded: back into rotation with a clean record. */
  public void readmit(String replica) {
    failures.remove(replica);
    ejected.remove(replica);
  }

  /** Forgets replicas that left the routes. */
  public void retain(Set<String> current) {
    failures.keySet().retainAll(current);
    ejected.retainAll(current);
  }
}
