package io.serval.router.control;

import io.grpc.ManagedChannel;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.serval.router.config.RouterConfig;
import io.serval.router.dispatch.InferenceDispatcher;
import io.serval.router.dispatch.ReplicaChannels;
import io.serval.router.dispatch.ReplicaEjector;
import io.serval.router.dispatch.ReplicaProber;
import io.serval.router.dispatch.RouterTimer;
import io.serval.router.routing.RouteTableHolder;
import io.serval.router.stats.AsyncBacklog;
import io.serval.security.PlatformAuthConfig;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Starts the router's background work: the routes source (static file or the operator's watch
 * stream), the deadline sweep, health probes of ejected replicas, and the stats stream.
 */
@Singleton
public class ControlPlane {
  private static final Logger LOG = Logger.getLogger(ControlPlane.class);

  private final RouterConfig config;
  private final RouteTableHolder routes;
  private final InferenceDispatcher dispatcher;
  private final ReplicaChannels channels;
  private final ReplicaEjector ejector;
  private final RouterTimer timer;
  private final ManagedChannel operator;
  private final ManagedChannel autoscaler;
  private final String routerId;
  private final PlatformAuthConfig platform;
  private final AsyncBacklog asyncBacklog;
  private RoutesWatcher watcher;
  private StatsReporter stats;

  public ControlPlane(
      RouterConfig config,
      RouteTableHolder routes,
      InferenceDispatcher dispatcher,
      ReplicaChannels channels,
      ReplicaEjector ejector,
      RouterTimer timer,
      @Named("operator") ManagedChannel operator,
      @Named("autoscaler") ManagedChannel autoscaler,
      @Named("router-id") String routerId,
      PlatformAuthConfig platform,
      AsyncBacklog asyncBacklog) {
    this.config = config;
    this.routes = routes;
    this.dispatcher = dispatcher;
    this.channels = channels;
    this.ejector = ejector;
    this.timer = timer;
    this.operator = operator;
    this.autoscaler = autoscaler;
    this.routerId = routerId;
    this.platform = platform;
    this.asyncBacklog = asyncBacklog;
  }

  void start(@Observes StartupEvent event) {
    if (config.routesFile().isEmpty()) {
      ControlChannels.requireToken(platform, "watches routes from the operator");
    } else if (config.statsEnabled()) {
      ControlChannels.requireToken(platform, "streams stats to the autoscaler");
    }
    if (config.routesFile().isPresent()) {
      RoutesFileSource file = new RoutesFileSource(config.routesFile().get(), routes);
      file.loadOrFail();
      file.watch(timer.executor(), config.routesFilePollInterval());
    } else {
      LOG.infof("watching routes from the operator at %s", config.operatorAddress());
      watcher = new RoutesWatcher(operator, routerId, routes, timer.executor(), backoff());
      watcher.start();
    }
    dispatcher.startDeadlineSweep(config.deadlineSweepInterval());
    new ReplicaProber(ejector, channels, dispatcher)
        .start(timer.executor(), config.ejection().probeInterval());
    if (config.statsEnabled()) {
      List<StatsStream> receivers = new ArrayList<>();
      receivers.add(new StatsStream("autoscaler", autoscaler, Clock.systemUTC(), backoff()));
      if (config.routesFile().isEmpty()) {
        // The operator judges canary revisions by what their replicas answered.
        receivers.add(new StatsStream("operator", operator, Clock.systemUTC(), backoff()));
      }
      stats =
          new StatsReporter(
              receivers,
              routerId,
              () -> List.copyOf(dispatcher.lanes()),
              asyncBacklog,
              Clock.systemUTC());
      stats.start(timer.executor(), config.statsInterval());
    }
  }

  private Backoff backoff() {
    return new Backoff(config.reconnect().initialBackoff(), config.reconnect().maxBackoff());
  }

  void stop(@Observes ShutdownEvent event) {
    if (watcher != null) {
      watcher.close();
    }
    if (stats != null) {
      stats.close();
    }
  }
}
