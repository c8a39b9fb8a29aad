package io.serval.operator.runtime;

/** Lifecycle of one replica as the runtime sees it. */
public enum ReplicaPhase {
  STARTING,
  READY,
  /** Died; waiting out the restart backoff. */
  RESTARTING,
  /** Removed from routes, being stopped. */
  STOPPING
}
