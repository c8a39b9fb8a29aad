package io.serval.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UrlConnectionTransportTest {

  private final UrlConnectionTransport transport =
      new UrlConnectionTransport(Duration.ofSeconds(3));
  private final AtomicReference<String> seen = new AtomicReference<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/echo",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          seen.set(
              ex.getRequestMethod()
                  + " "
                  + ex.getRequestHeaders().getFirst("Authorization")
                  + " "
                  + ex.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + body);
          reply(ex, 201, "{\"ok\":true}", "X-Served-By", "echo");
        });
    server.createContext(
        "/missing", ex -> reply(ex, 404, "{\"error\":\"no API named 'x'\"}", "X-Any", "1"));
    server.createContext(
        "/refuse",
        ex -> {
          ex.getRequestBody().readAllBytes();
          reply(ex, 401, "{\"error\":\"invalid bearer token\"}", "WWW-Authenticate", "Bearer");
        });
    server.createContext("/moved", ex -> reply(ex, 302, "", "Location", "/echo"));
    server.createContext(
        "/slow",
        ex -> {
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          reply(ex, 200, "late", "X-Any", "1");
        });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private static void reply(
      com.sun.net.httpserver.HttpExchange ex, int status, String body, String header, String value)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add(header, value);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void sendsMethodHeadersAndBodyAndReturnsStatusHeadersAndBody() throws IOException {
    HttpResponse<String> r =
        transport.send(
            HttpRequest.newBuilder(uri("/echo"))
                .header("Authorization", "Bearer t")
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString("kind: RealtimeApi"))
                .build());

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.body()).isEqualTo("{\"ok\":true}");
    assertThat(r.headers().firstValue("x-served-by")).hasValue("echo");
    assertThat(seen.get()).isEqualTo("POST Bearer t application/yaml kind: RealtimeApi");
  }

  @Test
  void anErrorStatusComesBackWithItsBody() throws IOException {
    HttpResponse<String> r = transport.send(HttpRequest.newBuilder(uri("/missing")).GET().build());

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("no API named 'x'");
  }

  @Test
  void aRefusedPostKeepsTheReasonInItsBody() throws IOException {
    HttpResponse<String> r =
        transport.send(
            HttpRequest.newBuilder(uri("/refuse"))
                .POST(HttpRequest.BodyPublishers.ofString("kind: RealtimeApi"))
                .build());

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("invalid bearer token");
  }

  @Test
  void redirectsAreNotFollowed() throws IOException {
    HttpResponse<String> r = transport.send(HttpRequest.newBuilder(uri("/moved")).GET().build());

    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(seen.get()).isNull();
  }

  @Test
  void aRefusedConnectionIsNotConnected() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }

    assertThatThrownBy(
            () ->
                transport.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closed + "/x"))
                        .GET()
                        .build()))
        .isInstanceOf(UrlConnectionTransport.NotConnected.class);
  }

  @Test
  void anAnswerLaterThanTheRequestsTimeoutIsATimeout() {
    assertThatThrownBy(
            () ->
                transport.send(
                    HttpRequest.newBuilder(uri("/slow"))
                        .timeout(Duration.ofMillis(300))
                        .GET()
                        .build()))
        .isInstanceOf(SocketTimeoutException.class)
        .isNotInstanceOf(UrlConnectionTransport.NotConnected.class);
  }
}
