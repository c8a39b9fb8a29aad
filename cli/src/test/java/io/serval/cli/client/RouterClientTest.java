package io.serval.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The readiness check of serval up --example against a router that wants key "k". */
class RouterClientTest {

  private HttpServer server;
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          String auth = ex.getRequestHeaders().getFirst("Authorization");
          seen.add(auth == null ? "" : auth);
          boolean ok = "Bearer k".equals(auth);
          byte[] body =
              (ok
                      ? "{\"name\":\"m\",\"ready\":true}"
                      : "{\"error\":\"a valid API key is required\"}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(ok ? 200 : 401, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private RouterClient client(Optional<String> key) {
    return new RouterClient(
        new HttpEndpoint(
            "the router",
            "http://127.0.0.1:" + server.getAddress().getPort(),
            "",
            Duration.ofSeconds(5)),
        key);
  }

  @Test
  void theReadinessCheckSendsTheKey() {
    assertThat(client(Optional.of("k")).ready("m")).isTrue();
    assertThat(seen).containsExactly("Bearer k");
  }

  @Test
  void aRefusedKeyFailsAtOnceInsteadOfWaitingForTheRoute() {
    assertThatThrownBy(() -> client(Optional.empty()).ready("m"))
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.UNAUTHORIZED))
        .hasMessageContaining("without an API key")
        .hasMessageContaining("SERVAL_API_KEY");
    assertThatThrownBy(() -> client(Optional.of("wrong")).ready("m"))
        .hasMessageContaining("refused the API key");
  }
}
