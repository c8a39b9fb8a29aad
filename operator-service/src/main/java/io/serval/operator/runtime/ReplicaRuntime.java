package io.serval.operator.runtime;

import java.util.List;

/**
 * Runs the replicas of each API's active revisions. It learns of desired-state changes from {@link
 * io.serval.operator.control.ResourcesChanged} and reports endpoint changes with {@link
 * EndpointsChanged}.
 */
public interface ReplicaRuntime {

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
