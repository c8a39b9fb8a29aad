package io.serval.predictor.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.serval.testmodels.TestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Serves TestModels.addFp32(4) as model "add" version "7", with batching on (8 rows, 2 ms) and a 64
 * KiB request limit. The gRPC test port is a free port picked here, because Quarkus does not
 * publish the port it binds for port 0.
 */
public class AddModelProfile implements QuarkusTestProfile {
  public static final int WIDTH = 4;
  static final Path MODEL;

  static {
    try {
      MODEL =
          TestModels.write(
              Files.createTempDirectory("serval-add"), "add.onnx", TestModels.addFp32(WIDTH));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "serval.predictor.model.uri", "file:" + MODEL,
        "serval.predictor.model-fetch.file-roots", MODEL.getParent().toString(),
        "serval.predictor.model.name", "add",
        "serval.predictor.model.version", "7",
        "serval.predictor.workers", "2",
        "serval.predictor.batching.max-batch-size", "8",
        "serval.predictor.batching.max-queue-delay", "2ms",
        "serval.predictor.max-request-size", "64K",
        "quarkus.grpc.server.test-port", Integer.toString(freePort()));
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
