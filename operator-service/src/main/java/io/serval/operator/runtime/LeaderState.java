package io.serval.operator.runtime;

import java.util.Optional;

/**
 * Whether this operator replica takes writes (deploy, delete, rollback, desired replicas,
 * wake-ups): only the leader does, so that two replicas sharing one token never act on the same
 * resources.
 *
 * @param leads this replica holds the lease (always, outside Kubernetes)
 * @param self this replica's identity
 * @param leader the current leader's identity, when known
 */
public record LeaderState(boolean leads, String self, Optional<String> leader) {

  /** A runtime with a single operator: it always leads. */
  public static final LeaderState SOLE = new LeaderState(true, "operator", Optional.empty());

  /** Why a write is refused here, or empty when this replica takes it. */
  public Optional<String> refusal() {
    if (leads) {
      return Optional.empty();
    }
    return Optional.of(
        "this operator replica ("
            + self
            + ") is not the leader and takes no changes; "
            + leader
                .filter(l -> !l.equals(self))
                .map(
                    l -> "the leader is " + l + ": send it there (the Service reaches it on retry)")
                .orElse("no leader is elected yet: retry in a few seconds"));
  }
}
