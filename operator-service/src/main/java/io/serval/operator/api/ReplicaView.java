package io.serval.operator.api;

import io.serval.operator.runtime.ReplicaInfo;

/**
 * One replica as GET /v1/apis/{name}/replicas shows it.
 *
 * @param phase STARTING, READY, RESTARTING or STOPPING
 * @param restarts deaths since the replica was first started
 * @param message why it is in its phase (a crash, a failed readiness check), or null
 */
public record ReplicaView(
    String id,
    String revision,
    String phase,
    boolean ready,
    int restarts,
    String address,
    String message) {

  static ReplicaView of(ReplicaInfo r) {
    return new ReplicaView(
        r.id(),
        r.revision(),
        r.phase().name(),
        r.ready(),
        r.restarts(),
        r.grpcAddress(),
        r.message());
  }
}
