package io.serval.operator.orchestration;

import io.serval.operator.control.ResourceChangeListener;
import io.serval.operator.control.ResourcesChanged;
import io.serval.operator.metrics.OperatorMetrics;
import io.serval.operator.routes.RoutePublisher;
import io.serval.operator.runtime.EndpointsListener;
import io.serval.operator.runtime.ReplicaRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.function.Supplier;

/**
 * Who hears of a change, in which order — the operator's wiring in one readable place (plain calls
 * rather than CDI events, whose observers run in no stated order):
 *
 * <ol>
 *   <li>The registry stored a deploy, a delete, a rollback, a scale or a rollout step: the runtime
 *       reconciles replicas (on its own thread), then the routes are rebuilt and pushed to the
 *       routers (traffic shares and removed APIs apply at once), then the metrics follow (series of
 *       new revisions appear, those of deleted APIs go).
 *   <li>A replica became ready or stopped being ready: the routes are rebuilt first (so a new
 *       replica takes traffic), then the rollout driver looks again (it may shift traffic, which
 *       comes back here as a registry change).
 * </ol>
 */
@ApplicationScoped
public class ChangePropagation implements ResourceChangeListener, EndpointsListener {

  // Instance: the runtime and the publisher are built from the registry, which is built with this
  // listener; looking them up at call time breaks the cycle.
  private final Supplier<ReplicaRuntime> runtime;
  private final Supplier<RoutePublisher> routes;
  private final Supplier<RolloutDriver> rollouts;
  private final Supplier<OperatorMetrics> metrics;

  @Inject
  public ChangePropagation(
      Instance<ReplicaRuntime> runtime,
      Instance<RoutePublisher> routes,
      Instance<RolloutDriver> rollouts,
      Instance<OperatorMetrics> metrics) {
    this((Supplier<ReplicaRuntime>) runtime::get, routes::get, rollouts::get, metrics::get);
  }

  /** Outside CDI: each collaborator looked up at call time. */
  public ChangePropagation(
      Supplier<ReplicaRuntime> runtime,
      Supplier<RoutePublisher> routes,
      Supplier<RolloutDriver> rollouts,
      Supplier<OperatorMetrics> metrics) {
    this.runtime = runtime;
    this.routes = routes;
    this.rollouts = rollouts;
    this.metrics = metrics;
  }

  @Override
  public void resourcesChanged(ResourcesChanged change) {
    runtime.get().desiredStateChanged();
    routes.get().refresh();
    metrics.get().refresh();
  }

  @Override
  public void endpointsChanged(String api) {
    routes.get().refresh();
    rollouts.get().endpointsChanged();
  }
}
