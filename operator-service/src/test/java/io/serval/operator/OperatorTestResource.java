package io.serval.operator;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.serval.security.PlatformToken;
import io.serval.security.grpc.PlatformTokenClientInterceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Gives every @QuarkusTest a fresh temporary state directory and a free gRPC port that tests can
 * read from {@link #GRPC_PORT_PROPERTY}.
 */
public class OperatorTestResource implements QuarkusTestResourceLifecycleManager {

  public static final String GRPC_PORT_PROPERTY = "serval.test.grpc-port";

  /** The platform token of the test profile (%test.serval.platform.token). */
  public static final String PLATFORM_TOKEN = "test-platform-token-0123456789";

  private Path dir;

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory("serval-operator-test");
      int grpcPort;
      try (ServerSocket s = new ServerSocket(0)) {
        grpcPort = s.getLocalPort();
      }
      System.setProperty(GRPC_PORT_PROPERTY, Integer.toString(grpcPort));
      return Map.of(
          "serval.operator.state-dir", dir.toString(),
          "quarkus.grpc.server.test-port", Integer.toString(grpcPort));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
    if (dir == null) {
      return;
    }
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int grpcPort() {
    return Integer.parseInt(System.getProperty(GRPC_PORT_PROPERTY));
  }

  /**
   * A channel to the operator's gRPC port whose calls carry the platform token, as a router's do.
   */
  public static ManagedChannel controlChannel() {
    return channel(Optional.of(PLATFORM_TOKEN));
  }

  /** A channel to the operator's gRPC port whose calls carry the given bearer token, or none. */
  public static ManagedChannel channel(Optional<String> token) {
    ManagedChannelBuilder<?> b =
        ManagedChannelBuilder.forAddress("localhost", grpcPort()).usePlaintext();
    token.ifPresent(
        t -> b.intercept(new PlatformTokenClientInterceptor(PlatformToken.of(t, "test"))));
    return b.build();
  }
}
