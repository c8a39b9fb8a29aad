package io.serval.operator.runtime.local;

import io.serval.operator.control.DeployLimits;
import io.serval.operator.control.PlannedChange;
import io.serval.operator.spec.ReplicaCap;
import java.util.List;
import java.util.Optional;

/**
 * The local runtime's deploy-time limits: its replica cap (each replica is a JVM on this machine)
 * and its model roots.
 */
public final class LocalDeployLimits implements DeployLimits {

  private final ReplicaCap cap;
  private final ModelRoots roots;

  public LocalDeployLimits(LocalRuntimeConfig config) {
    this.cap = config.replicaCap();
    this.roots = ModelRoots.of(LocalSettings.from(config));
  }

  @Override
  public Optional<ReplicaCap> replicaCap() {
    return Optional.of(cap);
  }

  @Override
  public void check(List<PlannedChange> plan) {
    roots.check(plan);
  }
}
