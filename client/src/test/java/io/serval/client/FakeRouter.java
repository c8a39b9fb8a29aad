package io.serval.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import io.serval.v2.EncodedBody;
import io.serval.v2.InferRequestReader;
import io.serval.v2.InferResponseWriter;
import io.serval.v2.RestInferRequestDecoder;
import io.serval.v2.RestInferResponseEncoder;
import io.serval.v2.V2Exception;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A V2 REST server on a loopback port, with the server's side of the codec: what the client sends
 * is decoded as the router decodes it, and the echo answer (every input back as an output of the
 * same name) is encoded as the router encodes it. Scripted answers come first, one per request.
 */
final class FakeRouter implements AutoCloseable {

  /** One request as the server saw it. */
  record Seen(String method, String path, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().getFirst())
          .findFirst()
          .orElse(null);
    }
  }

  /** An answer written by a script. */
  interface Script {
    void answer(HttpExchange ex) throws IOException;
  }

  private final HttpServer server;
  private final Deque<Script> scripts = new ArrayDeque<>();
  final List<Seen> seen = new CopyOnWriteArrayList<>();
  volatile ModelInferRequest lastDecoded;

  FakeRouter(int port) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  FakeRouter() {
    this(0);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  synchronized FakeRouter then(Script s) {
    scripts.add(s);
    return this;
  }

  /** A V2 error answer with optional extra headers (name, value, ...). */
  FakeRouter thenStatus(int status, String error, String... headers) {
    return then(
        ex -> {
          for (int i = 0; i + 1 < headers.length; i += 2) {
            ex.getResponseHeaders().add(headers[i], headers[i + 1]);
          }
          send(ex, status, V2Exception.errorJson(error).getBytes(StandardCharsets.UTF_8));
        });
  }

  private synchronized Script next() {
    return scripts.poll();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      seen.add(
          new Seen(
              ex.getRequestMethod(),
              ex.getRequestURI().getRawPath(),
              Map.copyOf(ex.getRequestHeaders()),
              body));
      Script s = next();
      if (s != null) {
        s.answer(ex);
        return;
      }
      echo(ex, body);
    }
  }

  private void echo(HttpExchange ex, byte[] body) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    if (path.endsWith("/ready")) {
      send(ex, 200, "{\"ready\":true}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (ex.getRequestMethod().equals("GET")) {
      send(
          ex,
          200,
          ("{\"name\":\"add\",\"versions\":[\"r1\"],\"platform\":\"onnxruntime_onnx\","
                  + "\"inputs\":[{\"name\":\"a\",\"datatype\":\"FP32\",\"shape\":[-1,4]}],"
                  + "\"outputs\":[{\"name\":\"sum\",\"datatype\":\"FP32\",\"shape\":[-1,4]}]}")
              .getBytes(StandardCharsets.UTF_8));
      return;
    }
    String length = ex.getRequestHeaders().getFirst("Inference-Header-Content-Length");
    String model = path.substring("/v2/models/".length(), path.length() - "/infer".length());
    ModelInferRequest req;
    try {
      req =
          RestInferRequestDecoder.decode(
              model,
              null,
              body,
              length == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(length)));
    } catch (V2Exception e) {
      send(ex, 400, e.errorJson().getBytes(StandardCharsets.UTF_8));
      return;
    }
    lastDecoded = req;
    ModelInferResponse resp =
        InferResponseWriter.build(model, "1", req.getId(), InferRequestReader.inputs(req), false);
    EncodedBody out = RestInferResponseEncoder.encode(resp, req);
    ex.getResponseHeaders().add("Content-Type", out.contentType());
    ex.getResponseHeaders().add("serval-revision", model + "/r1");
    out.inferenceHeaderContentLength()
        .ifPresent(
            h ->
                ex.getResponseHeaders().add(EncodedBody.HEADER_LENGTH_HEADER, Integer.toString(h)));
    send(ex, 200, out.body());
  }

  static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
