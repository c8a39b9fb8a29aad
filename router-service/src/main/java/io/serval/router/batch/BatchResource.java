package io.serval.router.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serval.objects.ObjectUris;
import io.serval.router.routing.RouteTableHolder;
import io.serval.store.BatchJob;
import io.serval.store.BatchStore;
import io.serval.store.NewBatchJob;
import io.serval.v2.V2Exception;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The batch jobs API, {@code /v1/jobs} (docs/async-and-batch.md, "Batch jobs"): submit a job (its
 * items uploaded as JSONL, streamed to the job directory under a byte bound; or named in object
 * storage, never a path on the router's disk), list, read, cancel, and read a finished job's
 * results, failures and log. Blocking methods (JAX-RS runs them on worker threads): store calls and
 * file copies. Access is checked before, by the same filter as {@code /v2}: a job's items and
 * results are as secret as any request and answer.
 */
@Path("/v1/jobs")
public class BatchResource {
  private static final Logger LOG = Logger.getLogger(BatchResource.class);
  private static final SecureRandom IDS = new SecureRandom();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The JSONL media type of uploads and result files. */
  public static final String NDJSON = "application/x-ndjson";

  static final String INPUT = "input.jsonl";
  static final String RESULTS = "results.jsonl";
  static final String FAILURES = "failures.jsonl";

  /**
   * What the resource needs from the wiring; {@code store} is null when batch jobs are off.
   *
   * @param store the jobs
   * @param files the job directory
   * @param limits the parameters' bounds
   * @param routes which APIs exist
   * @param submitted called once a job is stored: wakes this router's runner, so that the job
   *     starts at once rather than at the runner's next poll
   */
  public record Jobs(
      BatchStore store,
      LocalJobFiles files,
      JobLimits limits,
      RouteTableHolder routes,
      Runnable submitted) {}

  private final Jobs jobs;

  @Inject
  public BatchResource(Jobs jobs) {
    this.jobs = jobs;
  }

  @POST
  @Consumes(NDJSON)
  public Response submit(
      @QueryParam("api") String api,
      @QueryParam("batchSize") String batchSize,
      @QueryParam("parallelism") String parallelism,
      @QueryParam("maxRetries") String maxRetries,
      InputStream body) {
    try {
      BatchStore store = store();
      JobLimits.Parameters p = jobs.limits().resolve(batchSize, parallelism, maxRetries);
      checkApi(api);
      checkRoom(store);
      String id = HexFormat.of().formatHex(id16());
      URI input = jobs.files().uri(id, INPUT);
      long size;
      try (OutputStream out = jobs.files().createNew(jobs.files().path(input))) {
        size = copy(body, out, jobs.limits().maxInputBytes());
      } catch (InputTooLarge e) {
        jobs.files().delete(id);
        throw V2Exception.payloadTooLarge(
            "the input exceeds "
                + jobs.limits().maxInputBytes()
                + " bytes (serval.router.batch.max-input-bytes); put it in object storage");
      }
      NewBatchJob job =
          new NewBatchJob(
              id,
              api,
              p.batchSize(),
              p.parallelism(),
              p.maxRetries(),
              input.toString(),
              jobs.files().uri(id, RESULTS).toString(),
              jobs.files().uri(id, FAILURES).toString());
      store.create(job);
      store.log(id, "accepted: " + size + " bytes of input for API '" + api + "'", 1000);
      jobs.submitted().run();
      return created(store, id);
    } catch (V2Exception e) {
      return error(e);
    } catch (IOException e) {
      LOG.warnf(e, "storing a batch job's input failed");
      return error(V2Exception.unavailable("the job's input could not be stored: " + e));
    }
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response submitObjects(String body) {
    try {
      BatchStore store = store();
      JsonNode n;
      try {
        n = JSON.readTree(body == null ? "" : body);
      } catch (IOException e) {
        n = null;
      }
      if (n == null || !n.isObject()) {
        throw V2Exception.invalid("the body must be a JSON object: {\"api\":...,\"input\":...}");
      }
      String api = text(n, "api");
      URI input = objectUri(n, "input", true);
      URI output = objectUri(n, "output", true);
      URI failures = objectUri(n, "failures", false);
      if (failures == null) {
        failures = URI.create(failuresBeside(output.toString()));
      }
      JobLimits.Parameters p =
          jobs.limits()
              .resolve(number(n, "batchSize"), number(n, "parallelism"), number(n, "maxRetries"));
      checkApi(api);
      checkRoom(store);
      String id = HexFormat.of().formatHex(id16());
      store.create(
          new NewBatchJob(
              id,
              api,
              p.batchSize(),
              p.parallelism(),
              p.maxRetries(),
              input.toString(),
              output.toString(),
              failures.toString()));
      store.log(id, "accepted: input " + input + " for API '" + api + "'", 1000);
      jobs.submitted().run();
      return created(store, id);
    } catch (V2Exception e) {
      return error(e);
    }
  }

  /** The failures file beside the results: {@code .jsonl} becomes {@code .failures.jsonl}. */
  static String failuresBeside(String output) {
    return (output.endsWith(".jsonl") ? output.substring(0, output.length() - 6) : output)
        + ".failures.jsonl";
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw V2Exception.invalid(field + " must be a string");
    }
    return v.asText();
  }

  private static Integer number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isInt()) {
      throw V2Exception.invalid(field + " must be an integer, got " + v);
    }
    return v.asInt();
  }

  /** An object-storage URI: never a path on the router's disk. */
  private static URI objectUri(JsonNode n, String field, boolean required) {
    String value = text(n, field);
    if (value == null) {
      if (required) {
        throw V2Exception.invalid(field + " is required: an s3://bucket/key URI");
      }
      return null;
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (java.net.URISyntaxException e) {
      throw V2Exception.invalid(field + " is not a URI: " + value);
    }
    if (!ObjectUris.isS3(uri) || uri.getHost() == null || uri.getPath().length() < 2) {
      throw V2Exception.invalid(
          field
              + " must be an s3://bucket/key URI (the router never reads or writes a path a"
              + " client names), got "
              + value);
    }
    return uri;
  }

  @GET
  public Response list(@QueryParam("limit") String limit) {
    try {
      BatchStore store = store();
      int n = 50;
      if (limit != null) {
        try {
          n = Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
          n = 0;
        }
        if (n < 1 || n > 1000) {
          throw V2Exception.invalid("limit must be between 1 and 1000, got '" + limit + "'");
        }
      }
      return json(200, JobJson.list(store.list(n)));
    } catch (V2Exception e) {
      return error(e);
    }
  }

  @GET
  @Path("{id}")
  public Response get(@PathParam("id") String id) {
    try {
      return json(200, JobJson.of(find(id)).toString());
    } catch (V2Exception e) {
      return error(e);
    }
  }

  @DELETE
  @Path("{id}")
  public Response cancel(@PathParam("id") String id) {
    try {
      BatchJob job = find(id);
      if (!store().cancel(id)) {
        BatchJob now = store().find(id).orElse(job);
        return json(
            409,
            V2Exception.errorJson(
                "job '" + id + "' is " + now.status().wireName() + ": it cannot be cancelled"));
      }
      store().log(id, "cancelled: no new item starts", 1000);
      return json(200, JobJson.of(find(id)).toString());
    } catch (V2Exception e) {
      return error(e);
    }
  }

  @GET
  @Path("{id}/results")
  public Response results(@PathParam("id") String id) {
    return file(id, true);
  }

  @GET
  @Path("{id}/failures")
  public Response failures(@PathParam("id") String id) {
    return file(id, false);
  }

  @GET
  @Path("{id}/logs")
  public Response logs(@PathParam("id") String id) {
    try {
      find(id);
      return Response.ok(JobJson.logs(store().logs(id)), MediaType.TEXT_PLAIN_TYPE).build();
    } catch (V2Exception e) {
      return error(e);
    }
  }

  private Response file(String id, boolean results) {
    try {
      BatchJob job = find(id);
      URI uri = URI.create(results ? job.job().output() : job.job().failures());
      if (!jobs.files().handles(uri)) {
        throw V2Exception.notFound(
            "job '"
                + id
                + "' writes its "
                + (results ? "results" : "failures")
                + " to "
                + uri
                + ": read them there");
      }
      if (!job.filesWritten()) {
        return json(
            409,
            V2Exception.errorJson(
                "job '"
                    + id
                    + "' is "
                    + job.status().wireName()
                    + (job.error().map(e -> " (" + e + ")").orElse(""))
                    + ": its files are written when it finishes"));
      }
      return Response.ok(jobs.files().path(uri).toFile(), NDJSON).build();
    } catch (V2Exception e) {
      return error(e);
    }
  }

  private BatchStore store() {
    if (jobs.store() == null) {
      throw V2Exception.notFound("batch jobs are off on this router (serval.router.batch.enabled)");
    }
    return jobs.store();
  }

  private BatchJob find(String id) {
    BatchStore store = store();
    Optional<BatchJob> job =
        id != null && id.matches("[0-9a-f]{32}") ? store.find(id) : Optional.empty();
    return job.orElseThrow(() -> V2Exception.notFound("there is no job '" + id + "'"));
  }

  private void checkApi(String api) {
    if (api == null || api.isBlank()) {
      throw V2Exception.invalid("api is required: the API the job's items go to");
    }
    var table = jobs.routes().current();
    if (table.api(api) != null) {
      return;
    }
    if (table.knows(api)) {
      throw V2Exception.invalid(
          "api: '" + api + "' is a splitter: a job goes to an API (one of its targets)");
    }
    throw V2Exception.notFound("api: there is no API '" + api + "'");
  }

  private void checkRoom(BatchStore store) {
    long unfinished = store.unfinished();
    if (unfinished >= jobs.limits().maxUnfinishedJobs()) {
      throw new TooManyJobs(
          unfinished
              + " jobs are unfinished (serval.router.batch.max-unfinished-jobs is "
              + jobs.limits().maxUnfinishedJobs()
              + "); retry when one has finished");
    }
  }

  private static byte[] id16() {
    byte[] b = new byte[16];
    IDS.nextBytes(b);
    return b;
  }

  private Response created(BatchStore store, String id) {
    BatchJob job = store.find(id).orElseThrow();
    return Response.status(201)
        .header("Location", "/v1/jobs/" + id)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(JobJson.of(job).toString())
        .build();
  }

  /** Copies at most {@code max} bytes; more is {@link InputTooLarge}. */
  static long copy(InputStream in, OutputStream out, long max) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      total += n;
      if (total > max) {
        throw new InputTooLarge();
      }
      out.write(buffer, 0, n);
    }
    return total;
  }

  private static final class InputTooLarge extends IOException {
    private static final long serialVersionUID = 1L;
  }

  /** 429: too many unfinished jobs. */
  private static final class TooManyJobs extends V2Exception {
    private static final long serialVersionUID = 1L;

    TooManyJobs(String message) {
      super(Kind.RESOURCE_EXHAUSTED, message);
    }
  }

  private static Response error(V2Exception e) {
    int status = e instanceof TooManyJobs ? 429 : e.httpStatus();
    Response.ResponseBuilder b =
        Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(e.errorJson());
    if (status == 429 || status == 503) {
      b.header("Retry-After", "1");
    }
    return b.build();
  }

  private static Response json(int status, String body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
  }
}
