package io.serval.cli.batch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One reading of a batch job (the router's {@code GET /v1/jobs/ID}): what the progress display, the
 * summaries and the exit code are made from.
 *
 * @param total null until the router has read the input through once
 * @param output "local" when the router keeps the results (an uploaded input), else the object
 *     storage URI it wrote them to
 */
public record JobState(
    String id,
    String api,
    JobStatus status,
    String statusText,
    Long total,
    long done,
    long succeeded,
    long failed,
    String input,
    String output,
    String failures,
    String createdAt,
    String startedAt,
    String finishedAt,
    String error) {

  public static JobState of(JsonNode job) {
    JsonNode items = job.path("items");
    JsonNode total = items.path("total");
    String status = text(job, "status");
    return new JobState(
        text(job, "id"),
        text(job, "api"),
        JobStatus.of(status),
        status,
        total.isNumber() ? total.asLong() : null,
        items.path("done").asLong(),
        items.path("succeeded").asLong(),
        items.path("failed").asLong(),
        text(job, "input"),
        text(job, "output"),
        text(job, "failures"),
        text(job, "createdAt"),
        text(job, "startedAt"),
        text(job, "finishedAt"),
        text(job, "error"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode n = node.path(field);
    return n.isMissingNode() || n.isNull() ? null : n.asText();
  }

  /** Whether the router keeps the results, to be downloaded from it (else they are in storage). */
  public boolean outputOnRouter() {
    return output == null || !output.contains("://");
  }
}
