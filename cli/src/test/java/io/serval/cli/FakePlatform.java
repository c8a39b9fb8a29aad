package io.serval.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted stand-in for the management API, router and autoscaler on 127.0.0.1: each "METHOD
 * path" answers its queued responses in turn, repeating the last one; unknown routes answer 404.
 */
final class FakePlatform implements AutoCloseable {

  record Answer(int status, String body, Map<String, String> headers) {}

  record Request(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().getFirst())
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpServer server;
  private final Map<String, Deque<Answer>> routes = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();

  FakePlatform() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void reset() {
    routes.clear();
    requests.clear();
  }

  FakePlatform on(String methodAndPath, int status, String body) {
    return on(methodAndPath, status, body, Map.of());
  }

  FakePlatform on(String methodAndPath, int status, String body, Map<String, String> headers) {
    routes
        .computeIfAbsent(methodAndPath, k -> new ArrayDeque<>())
        .add(new Answer(status, body, headers));
    return this;
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = ex.getRequestURI().getRawPath();
    String query = ex.getRequestURI().getRawQuery();
    requests.add(
        new Request(
            ex.getRequestMethod(),
            query == null ? path : path + "?" + query,
            Map.copyOf(ex.getRequestHeaders()),
            body));
    Deque<Answer> q = routes.get(ex.getRequestMethod() + " " + path);
    Answer a;
    if (q == null || q.isEmpty()) {
      a = new Answer(404, "{\"error\":\"no route " + path + "\"}", Map.of());
    } else {
      a = q.size() > 1 ? q.poll() : q.peek();
    }
    byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
