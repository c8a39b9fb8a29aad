package io.serval.autoscaler.fakes;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Starts the fake operator for every @QuarkusTest in the module, and pins the autoscaler's test
 * gRPC port so that fake routers know where to report.
 */
public final class FakeOperatorResource implements QuarkusTestResourceLifecycleManager {

  /** The platform token of the test profile (%test.serval.platform.token). */
  public static final String PLATFORM_TOKEN = "test-platform-token-0123456789";

  private static FakeOperator operator;
  private static int statsPort;

  public static FakeOperator operator() {
    return operator;
  }

  public static int statsPort() {
    return statsPort;
  }

  @Override
  public Map<String, String> start() {
    operator = new FakeOperator(freePort());
    statsPort = freePort();
    try {
      operator.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of(
        "serval.autoscaler.operator-address",
        "localhost:" + operator.port(),
        "quarkus.grpc.server.test-port",
        String.valueOf(statsPort));
  }

  @Override
  public void stop() {
    try {
      operator.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
