package io.serval.bench.batch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the router's {@code /v1/jobs} (the jobs REST contract): a submitted job counts the
 * lines of its body and answers pending, then running, then succeeded on successive GETs.
 */
final class FakeJobsServer implements AutoCloseable {
  final HttpServer server;
  final List<String> queries = new CopyOnWriteArrayList<>();
  final List<String> contentTypes = new CopyOnWriteArrayList<>();
  final List<String> deleted = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> lines = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();
  private final int getsUntilFinished;
  private final AtomicInteger ids = new AtomicInteger();

  /**
   * @param getsUntilFinished GETs answered before the job says succeeded (Integer.MAX_VALUE: never)
   */
  FakeJobsServer(int getsUntilFinished) throws IOException {
    this.getsUntilFinished = getsUntilFinished;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/jobs", this::handle);
    server.start();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    switch (x.getRequestMethod()) {
      case "POST" -> {
        queries.add(x.getRequestURI().getQuery());
        contentTypes.add(x.getRequestHeaders().getFirst("Content-Type"));
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String id = String.format("%032x", ids.incrementAndGet());
        lines.put(id, (int) body.lines().count());
        gets.put(id, new AtomicInteger());
        x.getResponseHeaders().add("Location", "/v1/jobs/" + id);
        send(x, 201, job(id, "pending", null, 0, null, null));
      }
      case "GET" -> {
        String id = path.substring("/v1/jobs/".length());
        if (!lines.containsKey(id)) {
          send(x, 404, "{\"error\":\"unknown job\"}");
          return;
        }
        int n = lines.get(id);
        int seen = gets.get(id).incrementAndGet();
        if (seen > getsUntilFinished) {
          send(
              x,
              200,
              job(id, "succeeded", n, n, "\"2026-12-05T07:00:00Z\"", "\"2026-12-05T07:00:02Z\""));
        } else {
          send(x, 200, job(id, "running", n, 0, "\"2026-12-05T07:00:00Z\"", null));
        }
      }
      case "DELETE" -> {
        deleted.add(path.substring("/v1/jobs/".length()));
        send(x, 200, "{}");
      }
      default -> send(x, 405, "{}");
    }
  }

  private static String job(
      String id, String status, Integer total, int done, String started, String finished) {
    return "{\"id\":\""
        + id
        + "\",\"api\":\"minilm\",\"status\":\""
        + status
        + "\","
        + "\"items\":{\"total\":"
        + total
        + ",\"done\":"
        + done
        + ",\"succeeded\":"
        + done
        + ",\"failed\":0},"
        + "\"createdAt\":\"2026-12-05T06:59:59Z\",\"startedAt\":"
        + started
        + ",\"finishedAt\":"
        + finished
        + ",\"error\":null}";
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    x.getResponseBody().write(bytes);
    x.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
