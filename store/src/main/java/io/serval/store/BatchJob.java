package io.serval.store;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the store knows of one batch job, as {@code GET /v1/jobs/ID} reports it.
 *
 * @param job the job as accepted
 * @param status where it is
 * @param total items in its input, once read through
 * @param done items with an outcome (committed with their chunk)
 * @param succeeded of those, the ones that succeeded
 * @param failed of those, the ones that failed after their retries
 * @param createdAt when it was accepted
 * @param startedAt when its input was read and its items began to run
 * @param finishedAt when it reached a terminal status
 * @param error why the job itself failed
 * @param filesWritten whether the results and failures files are written
 */
public record BatchJob(
    NewBatchJob job,
    BatchStatus status,
    OptionalLong total,
    long done,
    long succeeded,
    long failed,
    Instant createdAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    Optional<String> error,
    boolean filesWritten) {

  public String id() {
    return job.id();
  }

  public String api() {
    return job.api();
  }
}
