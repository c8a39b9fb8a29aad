package io.serval.bench.batch;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A batch job as {@code GET /v1/jobs/ID} answers it (the jobs REST contract), the fields the
 * harness reads.
 *
 * @param total items in the input; null until the input has been read through
 */
public record BatchJob(
    String id,
    String status,
    Long total,
    long done,
    long succeeded,
    long failed,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    String error) {
  private static final Set<String> FINISHED = Set.of("succeeded", "failed", "cancelled");

  public static BatchJob of(JsonNode job) {
    JsonNode items = job.path("items");
    return new BatchJob(
        job.path("id").asText(),
        job.path("status").asText(),
        items.path("total").isNumber() ? items.path("total").asLong() : null,
        items.path("done").asLong(),
        items.path("succeeded").asLong(),
        items.path("failed").asLong(),
        instant(job.path("startedAt")),
        instant(job.path("finishedAt")),
        job.path("error").isTextual() ? job.path("error").asText() : null);
  }

  private static Optional<Instant> instant(JsonNode n) {
    return n.isTextual() && !n.asText().isEmpty()
        ? Optional.of(Instant.parse(n.asText()))
        : Optional.empty();
  }

  public boolean finished() {
    return FINISHED.contains(status);
  }

  /** From start to finish by the router's own clock, if it says both. */
  public Optional<Duration> serverRunTime() {
    return startedAt.isPresent() && finishedAt.isPresent()
        ? Optional.of(Duration.between(startedAt.get(), finishedAt.get()))
        : Optional.empty();
  }
}
