package io.serval.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.objects.testing.S3ProxyServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The contract on a real S3-compatible server (s3proxy), and what only S3 can get wrong. */
class S3ObjectStorageTest extends ObjectStorageContract {

  @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();

  static final String BUCKET = "models";

  @TempDir Path dir;
  private S3Settings settings;
  private S3ObjectStorage storage;

  @BeforeEach
  void connect() {
    S3.createBucket(BUCKET);
    settings = S3.settings(dir).withPartSize(S3Settings.MIN_PART_SIZE);
    storage = new S3ObjectStorage(settings);
  }

  @AfterEach
  void disconnect() {
    storage.close();
  }

  @Override
  ObjectStorage storage() {
    return storage;
  }

  @Override
  URI uriOf(String name) {
    return URI.create("s3://" + BUCKET + "/" + name);
  }

  @Test
  void aLargeObjectGoesUpInParts() throws IOException {
    URI uri = uriOf("parts.bin");
    S3Upload upload = (S3Upload) storage.create(uri);
    upload.write(new byte[2 * S3Settings.MIN_PART_SIZE + 1]);
    assertThat(upload.partsSent()).isEqualTo(2);
    upload.close();

    assertThat(upload.partsSent()).isEqualTo(3);
    assertThat(storage.size(uri)).contains(2L * S3Settings.MIN_PART_SIZE + 1);
  }

  @Test
  void aSmallObjectIsOnePut() throws IOException {
    S3Upload upload = (S3Upload) storage.create(uriOf("small.txt"));
    upload.write("small".getBytes(StandardCharsets.UTF_8));
    upload.close();

    assertThat(upload.partsSent()).isZero();
    assertThat(storage.size(uriOf("small.txt"))).contains(5L);
  }

  @Test
  void aMissingBucketIsNamed() {
    URI uri = URI.create("s3://no-such-bucket/model.onnx");

    assertThatThrownBy(() -> storage.open(uri))
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessageContaining("no such bucket")
        .hasMessageContaining("s3://no-such-bucket/model.onnx");
  }

  @Test
  void aMissingKeyIsNamed() {
    assertThatThrownBy(() -> storage.open(uriOf("absent.onnx")))
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessageContaining("no such key")
        .hasMessageContaining("s3://models/absent.onnx");
  }

  @Test
  void wrongCredentialsAreDeniedWithoutShowingTheSecret() throws IOException {
    write(uriOf("secret.txt"), "data");
    Path wrongKey = Files.writeString(dir.resolve("wrong-secret"), "not-the-secret-value");
    S3Settings wrong = settings.withKeyFiles(settings.accessKeyIdFile().orElseThrow(), wrongKey);

    try (S3ObjectStorage denied = new S3ObjectStorage(wrong)) {
      assertThatThrownBy(() -> denied.open(uriOf("secret.txt")))
          .isInstanceOf(ObjectAccessDeniedException.class)
          .hasMessageContaining("access denied to s3://models/secret.txt")
          .hasMessageNotContaining("not-the-secret-value")
          .hasMessageNotContaining(S3ProxyServer.SECRET_ACCESS_KEY);
      assertThatThrownBy(() -> denied.size(uriOf("secret.txt")))
          .isInstanceOf(ObjectAccessDeniedException.class);
      assertThatThrownBy(
              () -> {
                try (UploadStream out = denied.create(uriOf("written.txt"))) {
                  out.write(1);
                }
              })
          .isInstanceOf(ObjectAccessDeniedException.class);
    }
    assertThat(storage.exists(uriOf("written.txt"))).isFalse();
  }

  @Test
  void anUnreachableEndpointIsUnavailable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    S3Settings unreachable =
        new S3Settings(
                settings.endpoint(),
                settings.region(),
                true,
                settings.accessKeyIdFile(),
                settings.secretAccessKeyFile(),
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                settings.partSize())
            .withEndpoint(URI.create("http://127.0.0.1:" + closedPort), true);

    try (S3ObjectStorage down = new S3ObjectStorage(unreachable)) {
      assertThatThrownBy(() -> down.open(uriOf("model.onnx")))
          .isInstanceOf(ObjectStorageUnavailableException.class)
          .hasMessageContaining("cannot reach the object storage at http://127.0.0.1:" + closedPort)
          .hasMessageContaining("s3://models/model.onnx");
    }
  }

  @Test
  void missingCredentialsAreDenied() throws IOException {
    S3Settings noFiles =
        settings.withKeyFiles(dir.resolve("absent-id"), dir.resolve("absent-secret"));

    try (S3ObjectStorage denied = new S3ObjectStorage(noFiles)) {
      assertThatThrownBy(() -> denied.open(uriOf("model.onnx")))
          .isInstanceOf(ObjectAccessDeniedException.class)
          .hasMessageContaining("no S3 credentials");
    }
  }
}
