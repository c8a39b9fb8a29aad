package io.serval.store;

import java.util.Objects;

/**
 * A batch job as accepted.
 *
 * @param id unique job id (the caller makes it)
 * @param api the API its items go to
 * @param batchSize items per chunk: the unit of claims, leases and commits
 * @param parallelism most items of the job in flight at once on one router
 * @param maxRetries retries of an item after a transient failure
 * @param input where the items are read (a URI: file: or s3:)
 * @param output where the results file is written
 * @param failures where the failures file is written
 */
public record NewBatchJob(
    String id,
    String api,
    int batchSize,
    int parallelism,
    int maxRetries,
    String input,
    String output,
    String failures) {
  public NewBatchJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(failures, "failures");
    if (batchSize < 1 || parallelism < 1 || maxRetries < 0) {
      throw new IllegalArgumentException(
          "batchSize and parallelism must be at least 1, maxRetries at least 0");
    }
  }
}
