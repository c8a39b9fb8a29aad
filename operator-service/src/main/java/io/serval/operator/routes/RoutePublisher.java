package io.serval.operator.routes;

import io.grpc.stub.StreamObserver;
import io.quarkus.runtime.ShutdownEvent;
import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.control.ResourcesChanged;
import io.serval.operator.runtime.EndpointsChanged;
import io.serval.operator.runtime.ReplicaRuntime;
import io.serval.operator.state.StateStore;
import io.serval.proto.control.RouteSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Holds the current route snapshot and pushes every new one to the watching routers. The version is
 * persisted, so it keeps growing across operator restarts and a reconnecting router never sees a
 * version go back.
 */
@ApplicationScoped
public class RoutePublisher {

  private static final Logger LOG = Logger.getLogger(RoutePublisher.class);

  private final ResourceRegistry registry;
  private final ReplicaRuntime runtime;
  private final StateStore store;
  private final Set<RouteSubscriber> subscribers = ConcurrentHashMap.newKeySet();
  private RouteSnapshot current;

  @Inject
  public RoutePublisher(ResourceRegistry registry, ReplicaRuntime runtime, StateStore store) {
    this.registry = registry;
    this.runtime = runtime;
    this.store = store;
  }

  public synchronized RouteSnapshot current() {
    if (current == null) {
      long version = store.loadRoutesVersion() + 1;
      store.saveRoutesVersion(version);
      current = build(version);
    }
    return current;
  }

  void onResources(@Observes ResourcesChanged event) {
    refresh();
  }

  void onEndpoints(@Observes EndpointsChanged event) {
    refresh();
  }

  void onStop(@Observes ShutdownEvent event) {
    subscribers.forEach(RouteSubscriber::complete);
    subscribers.clear();
  }

  /** Rebuilds the snapshot; publishes it with the next version only if routes changed. */
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
  void subscribe(String routerId, StreamObserver<RouteSnapshot> observer) {
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
