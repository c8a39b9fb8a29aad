package io.serval.predictor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.objects.ObjectStores;
import io.serval.objects.S3Settings;
import io.serval.objects.UploadStream;
import io.serval.objects.testing.S3ProxyServer;
import io.serval.testmodels.TestModels;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code s3://} models fetched from a real S3-compatible server (s3proxy): cached, verified against
 * their sha256, bounded in size, and every failure a clear message that names the object and what
 * to check, never a credential.
 */
class S3ModelFetchTest {

  @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();

  @TempDir Path dir;
  private final byte[] model = TestModels.addFp32(4);
  private S3Settings settings;
  private ObjectStores objects;

  @BeforeEach
  void upload() throws IOException {
    S3.createBucket("models");
    settings = S3.settings(dir.resolve("secrets"));
    objects = new ObjectStores(settings);
    try (UploadStream out = objects.create(URI.create("s3://models/team/add.onnx"))) {
      out.write(model);
    }
  }

  @AfterEach
  void close() {
    objects.close();
  }

  private ModelFetcher fetcher(long maxBytes, ObjectStores stores) {
    return new ModelFetcher(
        dir.resolve("cache"),
        new FetchPolicy(
            maxBytes,
            Duration.ofSeconds(30),
            5,
            AddressPolicy.of(false, List.of()),
            FileRoots.of(List.of(dir))),
        stores);
  }

  @Test
  void fetchesTheModelIntoTheCacheAndVerifiesItsDigest() throws IOException {
    String sha = sha256(model);

    Path file = fetcher(1 << 20, objects).fetch("s3://models/team/add.onnx", Optional.of(sha));

    assertThat(file).startsWith(dir.resolve("cache"));
    assertThat(Files.readAllBytes(file)).isEqualTo(model);
  }

  @Test
  void aCachedModelIsNotFetchedAgain() {
    Path first = fetcher(1 << 20, objects).fetch("s3://models/team/add.onnx", Optional.empty());

    // A storage that cannot reach anything: the second fetch must come from the cache.
    try (ObjectStores unreachable =
        new ObjectStores(settings.withEndpoint(URI.create("http://127.0.0.1:9"), true))) {
      Path second =
          fetcher(1 << 20, unreachable).fetch("s3://models/team/add.onnx", Optional.empty());
      assertThat(second).isEqualTo(first);
    }
  }

  @Test
  void aDigestMismatchIsRefused() {
    assertThatThrownBy(
            () ->
                fetcher(1 << 20, objects)
                    .fetch("s3://models/team/add.onnx", Optional.of("0".repeat(64))))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("refusing to use it");
    assertThat(dir.resolve("cache")).isEmptyDirectory();
  }

  @Test
  void aModelOverTheSizeLimitIsRefused() {
    assertThatThrownBy(
            () ->
                fetcher(model.length - 1, objects)
                    .fetch("s3://models/team/add.onnx", Optional.empty()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("over the limit of " + (model.length - 1) + " bytes");
  }

  @Test
  void aMissingKeyNamesTheObject() {
    assertThatThrownBy(
            () -> fetcher(1 << 20, objects).fetch("s3://models/team/absent.onnx", Optional.empty()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("could not fetch model from s3://models/team/absent.onnx")
        .hasMessageContaining("no such key")
        .hasMessageContaining("check the bucket and key of spec.model.uri");
  }

  @Test
  void deniedAccessSaysWhichCredentialsToCheckWithoutShowingThem() throws IOException {
    Path wrong = Files.writeString(dir.resolve("wrong-secret"), "wrong-secret-value");
    try (ObjectStores denied =
        new ObjectStores(settings.withKeyFiles(settings.accessKeyIdFile().orElseThrow(), wrong))) {
      assertThatThrownBy(
              () -> fetcher(1 << 20, denied).fetch("s3://models/team/add.onnx", Optional.empty()))
          .isInstanceOf(ModelLoadException.class)
          .hasMessageContaining("access denied to s3://models/team/add.onnx")
          .hasMessageContaining("SERVAL_S3_ACCESS_KEY_ID_FILE")
          .hasMessageNotContaining("wrong-secret-value")
          .hasMessageNotContaining(S3ProxyServer.SECRET_ACCESS_KEY);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
