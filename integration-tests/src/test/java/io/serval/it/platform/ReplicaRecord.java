package io.serval.it.platform;

/** A predictor replica as the operator's local runtime records it in {state-dir}/replicas. */
public record ReplicaRecord(
    String id, String api, String revision, long pid, int httpPort, int grpcPort) {

  public boolean alive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
