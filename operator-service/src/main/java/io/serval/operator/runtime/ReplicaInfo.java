package io.serval.operator.runtime;

/**
 * One replica of one revision: grpcAddress is what routers dial (host:port); restarts counts deaths
 * since it was first started.
 */
public record ReplicaInfo(
    String id,
    String revision,
    String grpcAddress,
    String httpAddress,
    ReplicaPhase phase,
    int restarts,
    String message) {

  public boolean ready() {
    return phase == ReplicaPhase.READY;
  }
}
