package io.serval.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The router's batch jobs API, {@code /v1/jobs} (docs/async-and-batch.md): submit, read, list,
 * cancel, logs, and the results of a job whose output the router keeps. Every call carries the API
 * key when there is one; an error answer becomes a {@link CliException} that names the job.
 */
public final class JobsClient {

  /** How a job runs: the query parameters (uploaded input) or fields (object storage) of submit. */
  public record Settings(Integer batchSize, Integer parallelism, Integer maxRetries) {}

  private final HttpEndpoint http;
  private final Optional<String> apiKey;

  public JobsClient(HttpEndpoint http, Optional<String> apiKey) {
    this.http = http;
    this.apiKey = apiKey;
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = http.request(path);
    apiKey.ifPresent(k -> b.header("Authorization", ApiKey.header(k)));
    return b;
  }

  /**
   * POST /v1/jobs?api=NAME with the local file as the NDJSON body, streamed from disk.
   *
   * @return the job the router created
   */
  public JsonNode submit(String api, Path input, Settings settings) {
    List<String> query = new ArrayList<>();
    query.add("api=" + URLEncoder.encode(api, StandardCharsets.UTF_8));
    if (settings.batchSize() != null) {
      query.add("batchSize=" + settings.batchSize());
    }
    if (settings.parallelism() != null) {
      query.add("parallelism=" + settings.parallelism());
    }
    if (settings.maxRetries() != null) {
      query.add("maxRetries=" + settings.maxRetries());
    }
    HttpRequest r =
        request("/v1/jobs?" + String.join("&", query))
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    return created(api, http.upload(r, input));
  }

  /**
   * POST /v1/jobs with the object-storage URIs as JSON: the router reads the input and writes the
   * results there itself.
   *
   * @param failures empty: the router's default (the output with .failures.jsonl)
   */
  public JsonNode submit(
      String api, String input, String output, Optional<String> failures, Settings settings) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("api", api).put("input", input).put("output", output);
    failures.ifPresent(f -> body.put("failures", f));
    if (settings.batchSize() != null) {
      body.put("batchSize", settings.batchSize());
    }
    if (settings.parallelism() != null) {
      body.put("parallelism", settings.parallelism());
    }
    if (settings.maxRetries() != null) {
      body.put("maxRetries", settings.maxRetries());
    }
    HttpRequest r =
        request("/v1/jobs")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    return created(api, http.send(r));
  }

  private JsonNode created(String api, HttpResponse<String> r) {
    if (r.statusCode() / 100 != 2) {
      throw failure(r, "a job of " + api);
    }
    return Json.parse(r.body());
  }

  /** GET /v1/jobs/ID. */
  public JsonNode get(String id) {
    HttpResponse<String> r = http.send(request("/v1/jobs/" + id).GET().build());
    if (r.statusCode() != 200) {
      throw failure(r, "job " + id);
    }
    return Json.parse(r.body());
  }

  /** GET /v1/jobs?limit=N: the jobs, newest first. */
  public List<JsonNode> list(int limit) {
    HttpResponse<String> r = http.send(request("/v1/jobs?limit=" + limit).GET().build());
    if (r.statusCode() != 200) {
      throw failure(r, "the job list");
    }
    List<JsonNode> jobs = new ArrayList<>();
    Json.parse(r.body()).path("jobs").forEach(jobs::add);
    return jobs;
  }

  /** DELETE /v1/jobs/ID: the job, now cancelled. */
  public JsonNode cancel(String id) {
    HttpResponse<String> r = http.send(request("/v1/jobs/" + id).DELETE().build());
    if (r.statusCode() != 200) {
      throw failure(r, "cancelling job " + id);
    }
    return Json.parse(r.body());
  }

  /** GET /v1/jobs/ID/logs: one event per line. */
  public String logs(String id) {
    HttpResponse<String> r = http.send(request("/v1/jobs/" + id + "/logs").GET().build());
    if (r.statusCode() != 200) {
      throw failure(r, "the logs of job " + id);
    }
    return r.body();
  }

  /** Which file of a finished job: its results, or its failed items. */
  public enum File {
    RESULTS("results"),
    FAILURES("failures");

    private final String path;

    File(String path) {
      this.path = path;
    }

    public String path() {
      return path;
    }
  }

  /**
   * GET /v1/jobs/ID/results (or /failures), streamed into target.
   *
   * @throws CliException when the router does not answer 200; nothing was written then
   */
  public void download(String id, File file, OutputStream target) {
    HttpResponse<String> r =
        http.download(request("/v1/jobs/" + id + "/" + file.path()).GET().build(), target);
    if (r.statusCode() != 200) {
      throw failure(r, "the " + file.path() + " of job " + id);
    }
  }

  private CliException failure(HttpResponse<String> r, String what) {
    PlatformException e = http.error(r);
    String retry =
        r.headers().firstValue("Retry-After").map(s -> " (retry after " + s + "s)").orElse("");
    String hint = e.exitCode() == ExitCode.UNAUTHORIZED ? ". " + RouterClient.KEY_HINT : "";
    return new PlatformException(
        e.exitCode(),
        r.statusCode(),
        "the router answered "
            + r.statusCode()
            + " for "
            + what
            + ": "
            + e.getMessage()
            + retry
            + hint,
        e.problems());
  }
}
