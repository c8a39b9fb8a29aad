package io.serval.router.wiring;

import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.serval.router.access.AccessPolicy;
import io.serval.router.config.RouterConfig;
import io.serval.router.control.ControlChannels;
import io.serval.router.control.WakeUpCaller;
import io.serval.router.dispatch.DispatchObserver;
import io.serval.router.dispatch.InferenceDispatcher;
import io.serval.router.dispatch.MetadataForwarder;
import io.serval.router.dispatch.ReplicaChannels;
import io.serval.router.dispatch.ReplicaEjector;
import io.serval.router.dispatch.RequestTracer;
import io.serval.router.dispatch.RetryPolicy;
import io.serval.router.dispatch.RouterTimer;
import io.serval.router.metrics.RouterMetrics;
import io.serval.router.queue.Ticker;
import io.serval.router.rest.BodyBudget;
import io.serval.router.routing.ApiEntry;
import io.serval.router.routing.RouteTableHolder;
import io.serval.router.stats.ApiTraffic;
import io.serval.router.tracing.OtelRequestTracer;
import io.serval.security.PlatformAuthConfig;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the router's plain classes together from {@link RouterConfig}. */
@Singleton
public class RouterBeans {

  /** Fast per-thread randomness for picks on any thread. */
  static final RandomGenerator RANDOM = () -> ThreadLocalRandom.current().nextLong();

  @Produces
  @Singleton
  RouteTableHolder routes() {
    return new RouteTableHolder();
  }

  @Produces
  @Singleton
  RouterTimer timer() {
    return new RouterTimer();
  }

  void closeTimer(@Disposes RouterTimer timer) {
    timer.close();
  }

  @Produces
  @Singleton
  ReplicaChannels channels(RouterConfig config, Vertx vertx) {
    // Vert.x's event loops run both the REST server and the gRPC server's connections.
    return new ReplicaChannels(maxMessageSize(config), vertx.nettyEventLoopGroup());
  }

  void closeChannels(@Disposes ReplicaChannels channels) {
    channels.close();
  }

  @Produces
  @Singleton
  ReplicaEjector ejector(RouterConfig config) {
    return new ReplicaEjector(config.ejection().consecutiveFailures());
  }

  @Produces
  @Singleton
  @Named("router-id")
  String routerId(RouterConfig config) {
    return config
        .routerId()
        .orElseGet(
            () -> {
              String host;
              try {
                host = InetAddress.getLocalHost().getHostName();
              } catch (java.io.IOException e) {
                host = "localhost";
              }
              return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
            });
  }

  @Produces
  @Singleton
  @Named("operator")
  ManagedChannel operatorChannel(RouterConfig config, PlatformAuthConfig platform) {
    return ControlChannels.open(config.operatorAddress(), platform);
  }

  void closeOperator(@Disposes @Named("operator") ManagedChannel channel) {
    channel.shutdownNow();
  }

  @Produces
  @Singleton
  @Named("autoscaler")
  ManagedChannel autoscalerChannel(RouterConfig config, PlatformAuthConfig platform) {
    return ControlChannels.open(config.autoscalerAddress(), platform);
  }

  void closeAutoscaler(@Disposes @Named("autoscaler") ManagedChannel channel) {
    channel.shutdownNow();
  }

  /** Per-API traffic of the last five minutes and since start; an API's numbers go with it. */
  @Produces
  @Singleton
  ApiTraffic traffic(RouteTableHolder routes) {
    ApiTraffic traffic = ApiTraffic.lastFiveMinutes(Clock.systemUTC());
    routes.onSwap(t -> traffic.retain(t.apis().stream().map(ApiEntry::name).toList()));
    return traffic;
  }

  @Produces
  @Singleton
  InferenceDispatcher dispatcher(
      RouterConfig config,
      RouteTableHolder routes,
      ApiTraffic traffic,
      ReplicaChannels channels,
      ReplicaEjector ejector,
      RouterTimer timer,
      MeterRegistry registry,
      @Named("operator") ManagedChannel operator,
      @Named("router-id") String routerId,
      OpenTelemetry otel,
      @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false")
          boolean tracingDisabled) {
    RetryPolicy retry =
        new RetryPolicy(
            config.retry().maxAttempts(),
            config.retry().initialBackoff(),
            config.retry().maxBackoff());
    LateLanes lanes = new LateLanes();
    RouterMetrics metrics = new RouterMetrics(registry, lanes::lane);
    WakeUpCaller wakeUp =
        new WakeUpCaller(() -> operator, routerId, Ticker.system(), config.wakeUp().minInterval());
    boolean wake = config.wakeUp().enabled();
    DispatchObserver observer =
        new DispatchObserver() {
          @Override
          public void completed(
              String api,
              String revision,
              io.serval.router.dispatch.Protocol protocol,
              io.grpc.Status.Code code,
              long latencyNanos) {
            metrics.completed(api, revision, protocol, code, latencyNanos);
            traffic.completed(api, code, latencyNanos);
          }

          @Override
          public void noReadyReplica(String api) {
            metrics.noReadyReplica(api);
            if (wake) {
              wakeUp.wakeUp(api);
            }
          }
        };
    InferenceDispatcher dispatcher =
        new InferenceDispatcher(
            routes,
            channels,
            retry,
            ejector,
            Ticker.system(),
            timer.executor(),
            observer,
            // Off: not even a no-op span per request on the dispatch path.
            tracingDisabled ? RequestTracer.NONE : new OtelRequestTracer(otel),
            RANDOM);
    lanes.dispatcher = dispatcher;
    // After the dispatcher's own listener: its lanes follow the routes first.
    routes.onSwap(metrics::retain);
    return dispatcher;
  }

  @Produces
  @Singleton
  AccessPolicy access(RouterConfig config) {
    return AccessPolicy.of(
        config.access().apiKeys().orElse(List.of()),
        config.access().allowedCidrs().orElse(List.of()));
  }

  @Produces
  @Singleton
  MetadataForwarder metadata(
      RouteTableHolder routes, InferenceDispatcher dispatcher, ReplicaChannels channels) {
    return new MetadataForwarder(routes, dispatcher, channels, Ticker.system());
  }

  /** Lets metrics look lanes up in the dispatcher they are built before. */
  private static final class LateLanes {
    volatile InferenceDispatcher dispatcher;

    io.serval.router.dispatch.ApiLane lane(String api) {
      InferenceDispatcher d = dispatcher;
      return d == null ? null : d.lane(api);
    }
  }

  @Produces
  @Singleton
  BodyBudget bodyBudget(RouterConfig config, MeterRegistry registry) {
    long max = maxMessageSize(config);
    long budget = config.limits().inFlightBodyBytes().asLongValue();
    if (budget < max) {
      throw new IllegalArgumentException(
          "serval.router.limits.in-flight-body-bytes ("
              + budget
              + " bytes) must be at least serval.router.max-message-size ("
              + max
              + " bytes): a request of the largest size could never be read");
    }
    if (!config.limits().bodyReadTimeout().isPositive()) {
      throw new IllegalArgumentException(
          "serval.router.limits.body-read-timeout must be positive, got "
              + config.limits().bodyReadTimeout());
    }
    BodyBudget b = new BodyBudget(budget);
    Gauge.builder("serval_router_body_bytes_in_flight", b, BodyBudget::used)
        .description("Request body bytes held now (serval.router.limits.in-flight-body-bytes)")
        .register(registry);
    return b;
  }

  /** Decodes and encodes large bodies off the event loop (serval.router.limits). */
  @Produces
  @Singleton
  @Named("codec")
  WorkerExecutor codec(RouterConfig config, Vertx vertx) {
    // Half the cores by default: decoding several large bodies at once must leave CPU for the
    // event loops that answer everything else.
    int threads =
        config
            .limits()
            .codecThreads()
            .orElse(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    if (threads < 1) {
      throw new IllegalArgumentException(
          "serval.router.limits.codec-threads must be at least 1, got " + threads);
    }
    // A 64 MB JSON body takes seconds to decode: not a blocked thread worth a warning.
    return vertx.createSharedWorkerExecutor("serval-codec", threads, 5, TimeUnit.MINUTES);
  }

  void closeCodec(@Disposes @Named("codec") WorkerExecutor codec) {
    codec.close();
  }

  static int maxMessageSize(RouterConfig config) {
    long bytes = config.maxMessageSize().asLongValue();
    if (bytes < 1024 || bytes > Integer.MAX_VALUE - 1024) {
      throw new IllegalArgumentException(
          "serval.router.max-message-size must be between 1K and 2G, got " + bytes + " bytes");
    }
    return (int) bytes;
  }
}
