package io.serval.objects.testing;

import io.serval.objects.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real S3-compatible server for tests: s3proxy over jclouds' filesystem blob store in a temporary
 * directory, on a free loopback port, requiring AWS signatures (v2 or v4) with its own access key
 * and secret. Use it as a JUnit extension ({@code @RegisterExtension static S3ProxyServer s3 = new
 * S3ProxyServer();}: started before the class's tests, stopped and deleted after) or by hand with
 * {@link #start()} and {@link #close()}.
 *
 * <p>Modules that use it depend on {@code serval-object-storage}'s test-jar and on {@code
 * org.gaul:s3proxy}, both in test scope (a test-jar does not bring its own test dependencies).
 */
public final class S3ProxyServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

  /** The access key id the server accepts. */
  public static final String ACCESS_KEY_ID = "serval-test-access";

  /** The secret access key the server accepts. */
  public static final String SECRET_ACCESS_KEY = "serval-test-secret-0123456789";

  private Path dataDir;
  private BlobStoreContext context;
  private S3Proxy proxy;

  /** Starts the server on a free loopback port. */
  public synchronized S3ProxyServer start() {
    if (proxy != null) {
      return this;
    }
    try {
      dataDir = Files.createTempDirectory("serval-s3proxy");
      Properties properties = new Properties();
      properties.setProperty("jclouds.filesystem.basedir", dataDir.toString());
      context =
          ContextBuilder.newBuilder("filesystem")
              .credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY)
              .overrides(properties)
              .build(BlobStoreContext.class);
      proxy =
          S3Proxy.builder()
              .blobStore(context.getBlobStore())
              .endpoint(URI.create("http://127.0.0.1:0"))
              .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
              .build();
      proxy.start();
      Awaitility.await("s3proxy started")
          .atMost(Duration.ofSeconds(30))
          .until(() -> "STARTED".equals(proxy.getState()));
      return this;
    } catch (Exception e) {
      close();
      throw new IllegalStateException("s3proxy did not start", e);
    }
  }

  /** The server's endpoint, {@code http://127.0.0.1:PORT}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** Creates a bucket (idempotent). */
  public void createBucket(String bucket) {
    context.getBlobStore().createContainerInLocation(null, bucket);
  }

  /**
   * Settings that reach this server (path-style) with its credentials, read from two files written
   * under {@code dir}.
   */
  public S3Settings settings(Path dir) {
    return S3Settings.defaults()
        .withEndpoint(endpoint(), true)
        .withKeyFiles(
            write(dir.resolve("s3-access-key-id"), ACCESS_KEY_ID),
            write(dir.resolve("s3-secret-access-key"), SECRET_ACCESS_KEY));
  }

  /**
   * The environment a separate process (a predictor) needs to reach this server: the endpoint
   * settings and the AWS SDK's credential variables.
   */
  public Map<String, String> environment() {
    return Map.of(
        S3Settings.ENV_ENDPOINT,
        endpoint().toString(),
        S3Settings.ENV_PATH_STYLE,
        "true",
        S3Settings.ENV_REGION,
        "us-east-1",
        "AWS_ACCESS_KEY_ID",
        ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY",
        SECRET_ACCESS_KEY);
  }

  @Override
  public synchronized void close() {
    try {
      if (proxy != null) {
        proxy.stop();
      }
    } catch (Exception e) {
      throw new IllegalStateException("s3proxy did not stop", e);
    } finally {
      proxy = null;
      if (context != null) {
        context.close();
        context = null;
      }
      deleteTree(dataDir);
      dataDir = null;
    }
  }

  @Override
  public void beforeAll(ExtensionContext extensionContext) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext extensionContext) {
    close();
  }

  private static Path write(Path file, String value) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
