package io.serval.router.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Batch jobs (issue 14, {@code /v1/jobs}), prefix {@code serval.router.batch}. Jobs live in the
 * same store as async requests ({@code serval.router.async.store}). Every value is bounded: the
 * router refuses to start with one out of its range ({@code BatchLimits}).
 */
@ConfigMapping(prefix = "serval.router.batch")
public interface BatchConfig {

  /** Whether the router takes batch jobs and runs them; off, {@code /v1/jobs} answers 404. */
  @WithDefault("true")
  boolean enabled();

  /**
   * Largest input uploaded to {@code POST /v1/jobs} (1K to 64G); a larger one is refused with 413.
   * Above quarkus.http.limits.max-body-size (64M), an upload with a Content-Length is refused
   * before this is reached.
   */
  @WithDefault("64M")
  MemorySize maxInputBytes();

  /**
   * Longest input line (one item), 1K to 64M: a longer line is that item's failure, never read
   * whole into memory.
   */
  @WithDefault("1M")
  MemorySize maxLineBytes();

  /** Most jobs pending or running at once (1 to 10000); one more is refused with 429. */
  @WithDefault("100")
  int maxUnfinishedJobs();

  /** Items per chunk when the job does not say (1 to max-batch-size). */
  @WithDefault("100")
  int defaultBatchSize();

  /** Most items per chunk a job may ask for (1 to 10000): a chunk's outcomes are held in memory. */
  @WithDefault("1000")
  int maxBatchSize();

  /** Items of a job in flight at once on one router when the job does not say. */
  @WithDefault("8")
  int defaultParallelism();

  /** Most items of one job in flight at once on one router that a job may ask for (1 to 1024). */
  @WithDefault("256")
  int maxParallelism();

  /** Retries of an item after a transient failure when the job does not say. */
  @WithDefault("3")
  int defaultMaxRetries();

  /** Most retries a job may ask for (0 to 100). */
  @WithDefault("10")
  int maxMaxRetries();

  /** Wait before an item's first retry; it doubles up to max-retry-backoff (0 to 1 min). */
  @WithDefault("500ms")
  Duration retryBackoff();

  /** Longest wait between an item's retries (retry-backoff to 10 min). */
  @WithDefault("30s")
  Duration maxRetryBackoff();

  /**
   * How long a chunk's claim holds without renewal (1s to 1h): how long a crashed router's chunks
   * wait before another router (or it, restarted) takes them.
   */
  @WithDefault("30s")
  Duration lease();

  /** How often the job runner looks for work (10ms to 1 min). */
  @WithDefault("200ms")
  Duration pollInterval();

  /**
   * Where uploaded inputs and local results are kept, one directory per job (0700, files 0600);
   * default {@code $SERVAL_HOME/state/jobs}.
   */
  Optional<Path> jobsDirectory();

  /**
   * How long a finished job (its record, log and local files) is kept (1 min to 365 days); then it
   * is deleted and its id answers 404.
   */
  @WithDefault("7d")
  Duration resultRetention();
}
