package io.serval.operator.control;

import io.serval.operator.spec.ReplicaCap;
import java.util.List;
import java.util.Optional;

/**
 * What the chosen runtime refuses at deploy time, checked by the registry before a plan is stored
 * so that a deploy over a limit is a 400 naming the field rather than replicas that never start.
 * The runtime provides it (the local runtime: its replica cap and model roots); the registry knows
 * only this interface, so control does not depend on any runtime.
 */
public interface DeployLimits {

  /** The largest replica counts a spec may ask for; empty when the runtime sets none. */
  Optional<ReplicaCap> replicaCap();

  /**
   * Checks a plan against the runtime's own rules (beyond the replica cap, which the registry
   * checks with {@link ReplicaBudget}).
   *
   * @throws io.serval.operator.spec.SpecException naming each offending field
   */
  void check(List<PlannedChange> plan);

  /** A runtime without deploy-time limits. */
  DeployLimits NONE =
      new DeployLimits() {
        @Override
        public Optional<ReplicaCap> replicaCap() {
          return Optional.empty();
        }

        @Override
        public void check(List<PlannedChange> plan) {}
      };
}
