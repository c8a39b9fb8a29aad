package io.serval.bench.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The router's batch jobs API as the harness uses it (the contract of {@code /v1/jobs}): submit a
 * local JSONL as the body, then poll the job until it has finished.
 */
public final class BatchJobsClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI base;
  private final Duration timeout;

  public BatchJobsClient(URI base, Duration timeout) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
    this.base = base;
    this.timeout = timeout;
  }

  /**
   * {@code POST /v1/jobs?api=...} with the items as the body; answers the job as created.
   *
   * @param batchSize the job's batchSize, or 0 for the router's default
   * @param parallelism the job's parallelism, or 0 for the router's default
   */
  public BatchJob submit(String api, Path items, int batchSize, int parallelism)
      throws IOException, InterruptedException {
    StringBuilder query = new StringBuilder("api=").append(encode(api));
    if (batchSize > 0) {
      query.append("&batchSize=").append(batchSize);
    }
    if (parallelism > 0) {
      query.append("&parallelism=").append(parallelism);
    }
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/v1/jobs?" + query))
            .timeout(timeout)
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofFile(items))
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IOException("POST /v1/jobs: HTTP " + r.statusCode() + " " + r.body());
    }
    return BatchJob.of(JSON.readTree(r.body()));
  }

  public BatchJob get(String id) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(base.resolve("/v1/jobs/" + encode(id))).timeout(timeout).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET /v1/jobs/" + id + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return BatchJob.of(JSON.readTree(r.body()));
  }

  /** Polls every {@code every} until the job has finished or {@code within} has passed. */
  public BatchJob awaitFinished(String id, Duration every, Duration within)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      BatchJob job = get(id);
      if (job.finished()) {
        return job;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "job "
                + id
                + " still "
                + job.status()
                + " after "
                + within
                + " ("
                + job.done()
                + " done)");
      }
      LockSupport.parkNanos(every.toNanos());
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  /** {@code DELETE /v1/jobs/ID}: a job left running when the harness gives up. */
  public void cancel(String id) throws IOException, InterruptedException {
    http.send(
        HttpRequest.newBuilder(base.resolve("/v1/jobs/" + encode(id)))
            .timeout(timeout)
            .DELETE()
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    http.close();
  }
}
