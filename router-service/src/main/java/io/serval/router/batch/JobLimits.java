package io.serval.router.batch;

import io.serval.v2.V2Exception;

/**
 * The bounds a job's parameters are held to, and their defaults (serval.router.batch.*). Pure.
 *
 * @param maxInputBytes largest uploaded input
 * @param maxUnfinishedJobs most jobs pending or running at once
 * @param defaultBatchSize items per chunk when the job does not say
 * @param maxBatchSize most items per chunk
 * @param defaultParallelism items in flight when the job does not say
 * @param maxParallelism most items in flight
 * @param defaultMaxRetries retries when the job does not say
 * @param maxMaxRetries most retries
 */
public record JobLimits(
    long maxInputBytes,
    int maxUnfinishedJobs,
    int defaultBatchSize,
    int maxBatchSize,
    int defaultParallelism,
    int maxParallelism,
    int defaultMaxRetries,
    int maxMaxRetries) {

  public JobLimits {
    check("max-input-bytes", maxInputBytes, 1024, 64L << 30);
    check("max-unfinished-jobs", maxUnfinishedJobs, 1, 10_000);
    check("max-batch-size", maxBatchSize, 1, 10_000);
    check("default-batch-size", defaultBatchSize, 1, maxBatchSize);
    check("max-parallelism", maxParallelism, 1, 1024);
    check("default-parallelism", defaultParallelism, 1, maxParallelism);
    check("max-max-retries", maxMaxRetries, 0, 100);
    check("default-max-retries", defaultMaxRetries, 0, maxMaxRetries);
  }

  private static void check(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "serval.router.batch." + name + " must be in [" + min + ", " + max + "], got " + value);
    }
  }

  /**
   * A job's parameters, defaults filled in.
   *
   * @param batchSize items per chunk
   * @param parallelism items in flight
   * @param maxRetries retries of a transient failure
   */
  public record Parameters(int batchSize, int parallelism, int maxRetries) {}

  /**
   * The parameters as sent (null when absent), checked.
   *
   * @throws V2Exception INVALID_ARGUMENT naming the parameter and its bounds
   */
  public Parameters resolve(String batchSize, String parallelism, String maxRetries) {
    return new Parameters(
        parse("batchSize", batchSize, defaultBatchSize, 1, maxBatchSize),
        parse("parallelism", parallelism, defaultParallelism, 1, maxParallelism),
        parse("maxRetries", maxRetries, defaultMaxRetries, 0, maxMaxRetries));
  }

  /** Like {@link #resolve(String, String, String)}, for values from a JSON body. */
  public Parameters resolve(Integer batchSize, Integer parallelism, Integer maxRetries) {
    return resolve(text(batchSize), text(parallelism), text(maxRetries));
  }

  private static String text(Integer n) {
    return n == null ? null : n.toString();
  }

  private static int parse(String name, String value, int fallback, int min, int max) {
    if (value == null) {
      return fallback;
    }
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw V2Exception.invalid(name + " must be an integer, got '" + value + "'");
    }
    if (n < min || n > max) {
      throw V2Exception.invalid(name + " must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }
}
