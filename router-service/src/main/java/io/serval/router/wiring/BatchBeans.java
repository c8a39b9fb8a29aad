package io.serval.router.wiring;

import io.grpc.ManagedChannel;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.serval.objects.ObjectStores;
import io.serval.objects.S3Settings;
import io.serval.router.batch.BatchResource;
import io.serval.router.batch.BatchRunner;
import io.serval.router.batch.JobFileRoutes;
import io.serval.router.batch.JobLimits;
import io.serval.router.batch.LocalJobFiles;
import io.serval.router.batch.ObjectJobFiles;
import io.serval.router.config.BatchConfig;
import io.serval.router.config.RouterConfig;
import io.serval.router.config.S3Config;
import io.serval.router.control.WakeUpCaller;
import io.serval.router.dispatch.InferenceDispatcher;
import io.serval.router.dispatch.Protocol;
import io.serval.router.queue.Ticker;
import io.serval.router.routing.RouteTableHolder;
import io.serval.store.BatchStore;
import io.serval.store.jdbc.JdbcBatchStore;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Wires batch jobs (issue 14): the job store (in the async store's database,
 * serval.router.async.store), the job directory, the {@code /v1/jobs} resource and the runner that
 * sends items through the dispatcher. Settings are checked and the store opened at startup, so that
 * a wrong setting stops the router there.
 */
@Singleton
public class BatchBeans {
  private static final Logger LOG = Logger.getLogger(BatchBeans.class);

  private final RouterConfig router;
  private final BatchConfig config;
  private final S3Config s3;
  private ObjectStores objects;
  private BatchStore store;
  private LocalJobFiles files;
  private BatchRunner runner;

  public BatchBeans(RouterConfig router, BatchConfig config, S3Config s3) {
    this.router = router;
    this.config = config;
    this.s3 = s3;
  }

  /** Object storage for s3:// inputs and outputs; its S3 client is built on first use. */
  synchronized ObjectStores objects() {
    if (objects == null) {
      S3Settings d = S3Settings.defaults();
      objects =
          new ObjectStores(
              new S3Settings(
                  s3.endpoint(),
                  s3.region(),
                  s3.pathStyle(),
                  s3.accessKeyIdFile(),
                  s3.secretAccessKeyFile(),
                  d.connectTimeout(),
                  d.readTimeout(),
                  d.partSize()));
    }
    return objects;
  }

  /** The store, opened on first use; null when batch jobs are off. */
  synchronized BatchStore store() {
    if (!config.enabled()) {
      return null;
    }
    if (store == null) {
      store =
          JdbcBatchStore.open(
              AsyncStoreSource.dataSource(router.async().store()), Clock.systemUTC());
    }
    return store;
  }

  synchronized LocalJobFiles files() {
    if (files == null) {
      files = new LocalJobFiles(config.jobsDirectory().orElseGet(BatchBeans::defaultJobsDirectory));
    }
    return files;
  }

  /** {@code $SERVAL_HOME/state/jobs}, beside the async store's default file. */
  static Path defaultJobsDirectory() {
    return AsyncStoreSource.defaultSqliteFile().getParent().resolve("jobs");
  }

  JobLimits limits() {
    return new JobLimits(
        config.maxInputBytes().asLongValue(),
        config.maxUnfinishedJobs(),
        config.defaultBatchSize(),
        config.maxBatchSize(),
        config.defaultParallelism(),
        config.maxParallelism(),
        config.defaultMaxRetries(),
        config.maxMaxRetries());
  }

  BatchRunner.Settings settings() {
    between("lease", config.lease(), Duration.ofSeconds(1), Duration.ofHours(1));
    between("poll-interval", config.pollInterval(), Duration.ofMillis(10), Duration.ofMinutes(1));
    between("retry-backoff", config.retryBackoff(), Duration.ZERO, Duration.ofMinutes(1));
    between(
        "max-retry-backoff",
        config.maxRetryBackoff(),
        config.retryBackoff(),
        Duration.ofMinutes(10));
    between(
        "result-retention", config.resultRetention(), Duration.ofMinutes(1), Duration.ofDays(365));
    long line = config.maxLineBytes().asLongValue();
    if (line < 1024 || line > (64 << 20)) {
      throw new IllegalArgumentException(
          "serval.router.batch.max-line-bytes must be in [1K, 64M], got " + line);
    }
    return new BatchRunner.Settings(
        config.lease(),
        config.pollInterval(),
        config.retryBackoff(),
        config.maxRetryBackoff(),
        (int) line,
        config.resultRetention(),
        Duration.ofSeconds(1));
  }

  private static void between(String name, Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          "serval.router.batch." + name + " must be in [" + min + ", " + max + "], got " + value);
    }
  }

  @Produces
  @Singleton
  BatchResource.Jobs jobs(RouteTableHolder routes) {
    return new BatchResource.Jobs(store(), files(), limits(), routes, this::wakeRunner);
  }

  void start(
      @Observes StartupEvent event,
      InferenceDispatcher dispatcher,
      RouteTableHolder routes,
      @Named("operator") ManagedChannel operator,
      @Named("router-id") String routerId) {
    BatchRunner.Settings settings = settings();
    limits();
    BatchStore s = store();
    if (s == null) {
      return;
    }
    WakeUpCaller wakeUp =
        new WakeUpCaller(() -> operator, routerId, Ticker.system(), router.wakeUp().minInterval());
    boolean wake = router.wakeUp().enabled();
    // Unique per process: a restarted router with the same id must not pass for the old holder.
    String owner =
        routerId + "/" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    LocalJobFiles local = files();
    synchronized (this) {
      runner =
          new BatchRunner(
              s,
              new BackgroundTarget(
                  dispatcher, routes, api -> router.async().resultTtl(), Protocol.BATCH),
              new JobFileRoutes(List.of(local, new ObjectJobFiles(objects()))),
              settings,
              owner,
              api -> {
                if (wake) {
                  wakeUp.wakeUp(api);
                }
              },
              id -> {
                try {
                  local.delete(id);
                } catch (IOException e) {
                  LOG.warnf(e, "cannot delete the files of job %s", id);
                }
              },
              Clock.systemUTC());
      runner.start();
    }
    LOG.infof("batch jobs: runner %s started", owner);
  }

  private void wakeRunner() {
    BatchRunner r;
    synchronized (this) {
      r = runner;
    }
    if (r != null) {
      r.wake();
    }
  }

  void stop(@Observes ShutdownEvent event) {
    BatchRunner r;
    ObjectStores o;
    synchronized (this) {
      r = runner;
      o = objects;
    }
    if (r != null) {
      r.close();
    }
    if (o != null) {
      o.close();
    }
  }
}
