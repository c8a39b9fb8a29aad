package io.serval.operator.runtime;

/**
 * One replica of one revision: grpcAddress is what routers dial (host:port); restarts counts deaths
 * since it was last stable; lastCrash says how it last died (e.g. "died of SIGFPE (exit 134)")
 * until it has been ready again for a while, null otherwise or where the runtime cannot tell.
 */
public record ReplicaInfo(
    String id,
    String revision,
    String grpcAddress,
    String httpAddress,
    ReplicaPhase phase,
    int restarts,
    String message,
    String lastCrash) {

  public ReplicaInfo(
      String id,
      String revision,
      String grpcAddress,
      String httpAddress,
      ReplicaPhase phase,
      int restarts,
      String message) {
    this(id, revision, grpcAddress, httpAddress, phase, restarts, message, null);
  }

  public boolean ready() {
    return phase == ReplicaPhase.READY;
  }
}
