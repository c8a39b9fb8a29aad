package io.serval.operator.runtime.local.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ready means a 200 from /v2/health/ready; any other answer, or none, means not ready. */
class HealthProbeTest {

  private final AtomicInteger status = new AtomicInteger(200);
  private HttpServer server;

  private int serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    server.createContext(
        "/v2/health/ready",
        exchange -> {
          exchange.sendResponseHeaders(status.get(), -1);
          exchange.close();
        });
    server.start();
    return server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void readyOnlyFor200() throws Exception {
    HealthProbe probe = new HealthProbe("127.0.0.1", Duration.ofSeconds(5));
    int port = serve();
    assertThat(probe.ready(port).get()).isTrue();
    status.set(503);
    assertThat(probe.ready(port).get()).isFalse();
  }

  @Test
  void notReadyWhenNothingListens() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    HealthProbe probe = new HealthProbe("127.0.0.1", Duration.ofSeconds(5));
    assertThat(probe.ready(closed).get()).as("completes normally, false").isFalse();
  }
}
