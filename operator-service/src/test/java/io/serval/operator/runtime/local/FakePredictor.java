package io.serval.operator.runtime.local;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for the predictor in runtime tests: reads its settings from the environment like the
 * real one, answers GET /v2/health/ready with its model version, and exits with code 3 at once when
 * its model URI contains "crash".
 */
public final class FakePredictor {

  private FakePredictor() {}

  public static void main(String[] args) throws Exception {
    String uri = System.getenv("SERVAL_PREDICTOR_MODEL_URI");
    if (uri != null && uri.contains("crash")) {
      System.out.println("fake predictor: cannot load " + uri);
      System.exit(3);
    }
    String host = System.getenv("QUARKUS_HTTP_HOST");
    int port = Integer.parseInt(System.getenv("QUARKUS_HTTP_PORT"));
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    byte[] body =
        ("{\"version\":\"" + System.getenv("SERVAL_PREDICTOR_MODEL_VERSION") + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/v2/health/ready",
        exchange -> {
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    System.out.println(
        "fake predictor " + System.getenv("SERVAL_REPLICA_ID") + " listening on " + port);
  }
}
