package io.serval.predictor.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.serval.objects.ObjectStores;
import io.serval.objects.S3Settings;
import io.serval.objects.UploadStream;
import io.serval.objects.testing.S3ProxyServer;
import io.serval.testmodels.TestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Serves TestModels.addFp32(4) as model "add" from {@code s3://models/team/add.onnx} on a real
 * S3-compatible server (s3proxy), reached with the settings the operator passes to a predictor
 * ({@code serval.s3.*}, i.e. {@code SERVAL_S3_*}) and credentials from key files.
 */
public class S3ModelProfile implements QuarkusTestProfile {

  static final String MODEL_URI = "s3://models/team/add.onnx";

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(S3Model.class));
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "serval.predictor.model.uri",
        MODEL_URI,
        "serval.predictor.model.name",
        "add",
        "quarkus.grpc.server.test-port",
        Integer.toString(freePort()));
  }

  /** Starts s3proxy, puts the model in it, and points the predictor at it. */
  public static class S3Model implements QuarkusTestResourceLifecycleManager {
    private final S3ProxyServer s3 = new S3ProxyServer();

    @Override
    public Map<String, String> start() {
      s3.start();
      s3.createBucket("models");
      try {
        Path dir = Files.createTempDirectory("serval-s3-model");
        S3Settings settings = s3.settings(dir.resolve("secrets"));
        try (ObjectStores objects = new ObjectStores(settings);
            UploadStream out = objects.create(URI.create(MODEL_URI))) {
          out.write(TestModels.addFp32(AddModelProfile.WIDTH));
        }
        return Map.of(
            "serval.s3.endpoint", s3.endpoint().toString(),
            "serval.s3.path-style", "true",
            "serval.s3.access-key-id-file", settings.accessKeyIdFile().orElseThrow().toString(),
            "serval.s3.secret-access-key-file",
                settings.secretAccessKeyFile().orElseThrow().toString(),
            "serval.predictor.model.cache-dir", dir.resolve("cache").toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void stop() {
      s3.close();
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
