package io.serval.operator.routes;

import io.grpc.stub.StreamObserver;
import io.quarkus.runtime.ShutdownEvent;
import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.runtime.ReplicaRuntime;
import io.serval.operator.state.StateStore;
import io.serval.proto.control.RouteSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Holds the current route snapshot and pushes every new one to the watching routers. Versions grow
 * by one per change within a run; a run starts above both the last version in the state directory
 * and the wall clock in microseconds ({@link RouteVersions}), so that versions keep growing across
 * restarts even when the state directory is empty (an emptyDir on Kubernetes). Routers do not rely
 * on it: the first snapshot of each watch stream replaces their routes whatever its version.
 */
@ApplicationScoped
public class RoutePublisher {

  private static final Logger LOG = Logger.getLogger(RoutePublisher.class);

  private final ResourceRegistry registry;
  private final ReplicaRuntime runtime;
  private final StateStore store;
  private final Clock clock;
  private final Set<RouteSubscriber> subscribers = ConcurrentHashMap.newKeySet();
  private RouteSnapshot current;

  @Inject
  public RoutePublisher(
      ResourceRegistry registry, ReplicaRuntime runtime, StateStore store, Clock clock) {
    this.registry = registry;
    this.runtime = runtime;
    this.store = store;
    this.clock = clock;
  }

  public synchronized RouteSnapshot current() {
    if (current == null) {
      long version = RouteVersions.first(store.loadRoutesVersion(), clock.instant());
      store.saveRoutesVersion(version);
      current = build(version);
    }
    return current;
  }

  void onStop(@Observes ShutdownEvent event) {
    subscribers.forEach(RouteSubscriber::complete);
    subscribers.clear();
  }

  /**
   * Rebuilds the snapshot; publishes it with the next version only if routes changed. Called by
   * io.serval.operator.orchestration.ChangePropagation after every stored change and endpoint
   * change.
   */
  public void refresh() {
    RouteSnapshot next;
    synchronized (this) {
      RouteSnapshot before = current();
      RouteSnapshot candidate = build(before.getVersion() + 1);
      if (RouteSnapshotBuilder.sameRoutes(before, candidate)) {
        return;
      }
      store.saveRoutesVersion(candidate.getVersion());
      current = candidate;
      next = candidate;
    }
    LOG.debugf("routes version %d to %d routers", next.getVersion(), subscribers.size());
    subscribers.forEach(s -> s.offer(next));
  }

  /** A router starts watching: it gets the current snapshot at once, then every new one. */
  public void subscribe(String routerId, StreamObserver<RouteSnapshot> observer) {
    RouteSubscriber s = new RouteSubscriber(routerId, observer);
    s.onClose(
        () -> {
          subscribers.remove(s);
          LOG.infof("router %s stopped watching routes", routerId);
        });
    subscribers.add(s);
    LOG.infof("router %s watches routes", routerId);
    s.offer(current());
  }

  public int watchers() {
    return subscribers.size();
  }

  private RouteSnapshot build(long version) {
    return RouteSnapshotBuilder.build(
        version, registry.apis(), registry.splitters(), runtime::replicas);
  }
}
