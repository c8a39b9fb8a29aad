package io.serval.operator.runtime;

import java.util.List;

/**
 * Runs the replicas of each API's active revisions: the port every runtime (local, kubernetes,
 * none) implements. It is told of desired-state changes by {@link #desiredStateChanged} and reports
 * endpoint changes to the {@link EndpointsListener} it was built with.
 */
public interface ReplicaRuntime {

  /**
   * The registry stored a change: reconcile soon. Must not block (runtimes reconcile on their own
   * thread).
   */
  default void desiredStateChanged() {}

  List<ReplicaInfo> replicas(String api);

  /** The last generation of the API this runtime has acted on. */
  long observedGeneration(String api);

  /** Whether replicas report readiness (so that rollouts wait for them). */
  boolean tracksReadiness();

  /** The last lines of the API's replica logs, oldest first. */
  List<String> logs(String api, int maxLines);

  /** Whether this operator replica takes writes now; a single operator always does. */
  default LeaderState leaderState() {
    return LeaderState.SOLE;
  }
}
