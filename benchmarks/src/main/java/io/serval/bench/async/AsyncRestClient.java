package io.serval.bench.async;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * One client of a router's V2 REST API, for both paths of the comparison: a realtime {@code POST
 * infer}, and the same request with {@code Prefer: respond-async} followed by {@code GET Location}
 * every {@code pollEvery} until the answer is there. Both go through the same blocking JDK client
 * on one keep-alive connection, so the client's own cost is the same on both sides.
 */
public final class AsyncRestClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI base;
  private final URI infer;
  private final byte[] body;
  private final String contentType;
  private final String headerLength;
  private final Duration timeout;
  private final ResultMode mode;

  /**
   * @param headerLength the binary extension's Inference-Header-Content-Length, or null for JSON
   */
  public AsyncRestClient(
      String host, int port, String api, byte[] body, String headerLength, Duration timeout) {
    this(host, port, api, body, headerLength, timeout, ResultMode.POLL);
  }

  /**
   * @param mode how results are awaited: polled, or held GETs ({@code Prefer: wait=N}, N the
   *     request timeout in seconds)
   */
  public AsyncRestClient(
      String host,
      int port,
      String api,
      byte[] body,
      String headerLength,
      Duration timeout,
      ResultMode mode) {
    this.mode = mode;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
    this.base = URI.create("http://" + host + ":" + port);
    this.infer = base.resolve("/v2/models/" + api + "/infer");
    this.body = body;
    this.contentType = headerLength == null ? "application/json" : "application/octet-stream";
    this.headerLength = headerLength;
    this.timeout = timeout;
  }

  private HttpRequest.Builder post() {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(infer)
            .timeout(timeout)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headerLength != null) {
      b.header("Inference-Header-Content-Length", headerLength);
    }
    return b;
  }

  /** A realtime request; answers its latency in nanoseconds. */
  public long realtime() throws IOException, InterruptedException {
    long start = System.nanoTime();
    HttpResponse<byte[]> r = http.send(post().build(), HttpResponse.BodyHandlers.ofByteArray());
    long took = System.nanoTime() - start;
    if (r.statusCode() != 200) {
      throw new IOException("realtime: HTTP " + r.statusCode() + " " + text(r.body()));
    }
    return took;
  }

  /** Submits an async request; answers its Location (a path on this router). */
  public String submit() throws IOException, InterruptedException {
    HttpResponse<byte[]> r =
        http.send(
            post().header("Prefer", "respond-async").build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 202) {
      throw new IOException("async submit: HTTP " + r.statusCode() + " " + text(r.body()));
    }
    return r.headers()
        .firstValue("Location")
        .orElseThrow(() -> new IOException("async submit: 202 without a Location"));
  }

  /**
   * Where an async request's time went, in nanoseconds from the start of the submit.
   *
   * @param accepted when the 202 arrived
   * @param seenRunning when a poll first saw it running (claimed by the pump), or -1 if none did
   * @param done when the poll that got the answer returned
   * @param polls GETs sent
   */
  public record Timeline(long accepted, long seenRunning, long done, int polls) {}

  /**
   * An async request from submit to its answer, polling every {@code pollEvery} (or, in {@link
   * ResultMode#WAIT}, with held GETs, each sent as soon as the last returned): the latency (its
   * {@code done}) and where it went.
   */
  public Timeline submitAndAwait(Duration pollEvery) throws IOException, InterruptedException {
    long start = System.nanoTime();
    String location = submit();
    long accepted = System.nanoTime() - start;
    long seenRunning = -1;
    int polls = 0;
    HttpRequest.Builder getBuilder =
        HttpRequest.newBuilder(base.resolve(location)).timeout(timeout.plusSeconds(5)).GET();
    if (mode == ResultMode.WAIT) {
      getBuilder.header("Prefer", "wait=" + Math.max(1, timeout.toSeconds()));
    }
    HttpRequest get = getBuilder.build();
    long deadline = start + timeout.toNanos();
    while (true) {
      HttpResponse<byte[]> r = http.send(get, HttpResponse.BodyHandlers.ofByteArray());
      polls++;
      String status = r.headers().firstValue("Serval-Async-Status").orElse("");
      if (r.statusCode() == 200 && status.equals("succeeded")) {
        return new Timeline(accepted, seenRunning, System.nanoTime() - start, polls);
      }
      if (r.statusCode() != 200 || !(status.equals("pending") || status.equals("running"))) {
        throw new IOException(
            "async result " + location + ": HTTP " + r.statusCode() + " " + text(r.body()));
      }
      if (status.equals("running") && seenRunning < 0) {
        seenRunning = System.nanoTime() - start;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "async result " + location + " still " + status + " after " + timeout);
      }
      // A held GET that ended without the answer is sent again at once; a router that does not
      // hold GETs (no Preference-Applied) is polled.
      if (mode == ResultMode.POLL || r.headers().firstValue("Preference-Applied").isEmpty()) {
        LockSupport.parkNanos(pollEvery.toNanos());
      }
    }
  }

  private static String text(byte[] body) {
    String s = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    try {
      JsonNode n = JSON.readTree(s);
      if (n.has("error")) {
        return n.get("error").asText();
      }
    } catch (IOException notJson) {
      // binary or plain text: shown as is
    }
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }

  @Override
  public void close() {
    http.close();
  }
}
