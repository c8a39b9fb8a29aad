package io.serval.router.wiring;

import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.serval.router.async.AsyncPump;
import io.serval.router.async.ResultWaiters;
import io.serval.router.async.ResultWatch;
import io.serval.router.async.WakeOnSubmit;
import io.serval.router.config.RouterConfig;
import io.serval.router.control.WakeUpCaller;
import io.serval.router.dispatch.InferenceDispatcher;
import io.serval.router.dispatch.Protocol;
import io.serval.router.queue.Ticker;
import io.serval.router.rest.AsyncIntake;
import io.serval.router.rest.AsyncResource;
import io.serval.router.rest.ResultHolds;
import io.serval.router.routing.ApiEntry;
import io.serval.router.routing.RouteTable;
import io.serval.router.routing.RouteTableHolder;
import io.serval.router.stats.AsyncBacklog;
import io.serval.store.AsyncRecord;
import io.serval.store.AsyncStore;
import io.serval.store.NewAsyncRequest;
import io.serval.store.jdbc.JdbcAsyncStore;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Wires async requests (issue 14): the store from serval.router.async.store, the REST intake and
 * result resource on it, and the pump that runs stored requests through the dispatcher. The store
 * is opened (and its schema migrated) at startup, so that a wrong setting stops the router there.
 */
@Singleton
public class AsyncBeans {
  private static final Logger LOG = Logger.getLogger(AsyncBeans.class);

  private final RouterConfig config;
  private AsyncStore store;
  private DataSource dataSource;
  private volatile AsyncPump pump;
  private ResultWatch watch;
  private WorkerExecutor storeThreads;

  public AsyncBeans(RouterConfig config) {
    this.config = config;
  }

  /** The store, opened on first use; null when async requests are off. */
  synchronized AsyncStore store() {
    if (!config.async().enabled()) {
      return null;
    }
    if (store == null) {
      dataSource = AsyncStoreSource.dataSource(config.async().store());
      store = JdbcAsyncStore.open(dataSource, Clock.systemUTC());
    }
    return store;
  }

  @Produces
  @Singleton
  AsyncIntake intake(Vertx vertx) {
    AsyncStore s = store();
    if (s == null) {
      return AsyncIntake.disabled();
    }
    if (config.async().maxBacklogPerApi() < 1) {
      throw new IllegalArgumentException(
          "serval.router.async.max-backlog-per-api must be at least 1, got "
              + config.async().maxBacklogPerApi());
    }
    // Store writes block: a few threads of their own, so that a slow disk holds up no event loop
    // and no other blocking work.
    synchronized (this) {
      storeThreads = vertx.createSharedWorkerExecutor("serval-async-store", 4, 1, TimeUnit.MINUTES);
    }
    // A stored request wakes this router's pump: at idle it waits for no poll.
    // And a request that can run now is stored claimed and handed to the pump: one write.
    boolean claimAtSubmit = config.async().claimAtSubmit();
    return AsyncIntake.of(
        new WakeOnSubmit(s, this::wakePump, r -> claimAtSubmit && takeAtSubmit(r)),
        storeThreads,
        config.async().maxBacklogPerApi());
  }

  /** Filled by the pump; empty (every API 0) when async requests are off. */
  @Produces
  @Singleton
  AsyncBacklog asyncBacklog() {
    return new AsyncBacklog();
  }

  @Produces
  @Singleton
  AsyncResource.AsyncResults results(RouteTableHolder routes, MeterRegistry registry) {
    AsyncStore s = store();
    if (s == null) {
      return new AsyncResource.AsyncResults(
          null, api -> resultTtl(routes, api), ResultHolds.none());
    }
    ResultWatch w = watch();
    Gauge.builder("serval_router_async_held_results", w, ResultWatch::held)
        .description(
            "Result requests (GET with Prefer: wait) held now"
                + " (serval.router.async.max-result-waiters)")
        .register(registry);
    return new AsyncResource.AsyncResults(s, api -> resultTtl(routes, api), holds(w));
  }

  /** The registry of held result requests and its timer; started on first use. */
  private synchronized ResultWatch watch() {
    if (watch == null) {
      RouterConfig.Async a = config.async();
      if (a.maxResultWait().isNegative() || a.maxResultWaiters() < 0) {
        throw new IllegalArgumentException(
            "serval.router.async.max-result-wait and max-result-waiters must be >= 0, got "
                + a.maxResultWait()
                + " and "
                + a.maxResultWaiters());
      }
      watch =
          new ResultWatch(
              new ResultWaiters(a.maxResultWaiters(), Ticker.system()),
              store(),
              a.resultRecheckInterval());
      watch.start();
    }
    return watch;
  }

  private ResultHolds holds(ResultWatch w) {
    Duration max = config.async().maxResultWait();
    return new ResultHolds() {
      @Override
      public Duration maxWait() {
        return max;
      }

      @Override
      public Optional<CompletableFuture<Optional<AsyncRecord>>> hold(String id, Duration wait) {
        return w.hold(id, wait);
      }

      @Override
      public void finished(AsyncRecord record) {
        w.finished(record);
      }
    };
  }

  /** The API's spec.async.resultTtl as its route carries it; the router-wide default otherwise. */
  private Duration resultTtl(RouteTableHolder routes, String api) {
    RouteTable table = routes.current();
    ApiEntry entry = table == null ? null : table.api(api);
    return entry == null
        ? config.async().resultTtl()
        : entry.asyncResultTtl().orElse(config.async().resultTtl());
  }

  void start(
      @Observes StartupEvent event,
      InferenceDispatcher dispatcher,
      RouteTableHolder routes,
      @Named("operator") ManagedChannel operator,
      @Named("router-id") String routerId,
      AsyncBacklog backlog) {
    // Batch jobs share the reserve: applied even with async requests off.
    FairnessSettings.apply(config.async(), dispatcher);
    AsyncStore s = store();
    if (s == null) {
      return;
    }
    RouterConfig.Async a = config.async();
    if (!a.resultTtl().isPositive()) {
      throw new IllegalArgumentException(
          "serval.router.async.result-ttl must be positive, got " + a.resultTtl());
    }
    AsyncPump.Settings settings =
        new AsyncPump.Settings(
            a.lease(),
            a.maxAttempts(),
            a.retryBackoff(),
            a.maxRetryBackoff(),
            a.pollInterval(),
            a.claimBatch(),
            a.purgeInterval(),
            Duration.ofSeconds(1));
    WakeUpCaller wakeUp =
        new WakeUpCaller(() -> operator, routerId, Ticker.system(), config.wakeUp().minInterval());
    boolean wake = config.wakeUp().enabled();
    // Unique per process: a restarted router with the same id must not pass for the old holder.
    String owner =
        routerId + "/" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    synchronized (this) {
      pump =
          new AsyncPump(
              s,
              new BackgroundTarget(
                  dispatcher, routes, api -> resultTtl(routes, api), Protocol.ASYNC),
              settings,
              owner,
              api -> {
                if (wake) {
                  wakeUp.wakeUp(api);
                }
              },
              backlog,
              watch()::finished);
      pump.start();
    }
    LOG.infof("async requests: pump %s started", owner);
  }

  private boolean takeAtSubmit(NewAsyncRequest request) {
    AsyncPump p = pump; // volatile, as in wakePump
    return p != null && p.submitAndTake(request);
  }

  private void wakePump() {
    AsyncPump p = pump; // volatile: read on the store threads, without the startup lock
    if (p != null) {
      p.wake();
    }
  }

  void stop(@Observes ShutdownEvent event) {
    AsyncPump p;
    WorkerExecutor w;
    ResultWatch held;
    synchronized (this) {
      p = pump;
      w = storeThreads;
      held = watch;
    }
    if (p != null) {
      p.close();
    }
    if (held != null) {
      held.close();
    }
    if (w != null) {
      w.close();
    }
    DataSource ds;
    synchronized (this) {
      ds = dataSource;
    }
    // The pool's connections (PostgreSQL); after the pump released its claims through them.
    if (ds instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.warnf(e, "closing the async store's connections failed");
      }
    }
  }
}
