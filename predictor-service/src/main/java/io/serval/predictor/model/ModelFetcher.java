package io.serval.predictor.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Turns a model URI into a local file: {@code file:} URIs are used in place, {@code http(s):}
 * downloads are cached in a directory (keyed by the URI), written atomically and verified against
 * the expected SHA-256 when one is configured.
 */
public final class ModelFetcher {
  private static final Logger LOG = Logger.getLogger(ModelFetcher.class);

  private final Path cacheDir;
  private final Duration timeout;

  public ModelFetcher(Path cacheDir, Duration timeout) {
    this.cacheDir = cacheDir;
    this.timeout = timeout;
  }

  /**
   * @param sha256 expected digest (hex), checked for files and downloads alike
   * @return a readable local file with the model
   * @throws ModelLoadException when the file is missing, the download fails or the digest differs
   */
  public Path fetch(String uri, Optional<String> sha256) {
    String u = uri.trim();
    if (u.startsWith("file:")) {
      Path file = localPath(u);
      if (!Files.isRegularFile(file)) {
        throw new ModelLoadException(
            "model file " + file.toAbsolutePath() + " (from " + u + ") does not exist");
      }
      sha256.ifPresent(expected -> verify(file, expected, u));
      return file;
    }
    if (u.startsWith("http://") || u.startsWith("https://")) {
      return download(URI.create(u), sha256);
    }
    throw new ModelLoadException(
        "unsupported model uri '" + u + "'; expected file:, http: or https:");
  }

  /** {@code file:/abs}, {@code file:///abs} and {@code file:relative} (against the working dir). */
  static Path localPath(String uri) {
    String rest = uri.substring("file:".length());
    if (rest.startsWith("//")) {
      return Path.of(URI.create(uri));
    }
    return Path.of(rest);
  }

  private Path download(URI uri, Optional<String> sha256) {
    Path target = cacheDir.resolve(cacheName(uri));
    if (Files.isRegularFile(target)) {
      if (sha256.isEmpty() || digest(target).equalsIgnoreCase(sha256.get())) {
        LOG.infof("Using cached model %s for %s", target, uri);
        return target;
      }
      LOG.warnf("Cached model %s does not match the expected sha256; downloading again", target);
    }
    try {
      Files.createDirectories(cacheDir);
      Path tmp = Files.createTempFile(cacheDir, target.getFileName().toString(), ".part");
      try {
        String actual = transfer(uri, tmp);
        if (sha256.isPresent() && !actual.equalsIgnoreCase(sha256.get())) {
          throw new ModelLoadException(
              "model downloaded from "
                  + uri
                  + " has sha256 "
                  + actual
                  + " but "
                  + sha256.get().toLowerCase(Locale.ROOT)
                  + " was expected; refusing to use it");
        }
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LOG.infof("Downloaded model %s to %s (sha256 %s)", uri, target, actual);
        return target;
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new ModelLoadException("could not download model from " + uri + ": " + e, e);
    }
  }

  private String transfer(URI uri, Path tmp) throws IOException {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    try (client) {
      HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
      HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = resp.body()) {
        if (resp.statusCode() != 200) {
          throw new ModelLoadException(
              "could not download model from " + uri + ": HTTP " + resp.statusCode());
        }
        MessageDigest md = sha256();
        try (OutputStream out = Files.newOutputStream(tmp)) {
          byte[] buf = new byte[1 << 16];
          int n;
          while ((n = in.read(buf)) >= 0) {
            md.update(buf, 0, n);
            out.write(buf, 0, n);
          }
        }
        return HexFormat.of().formatHex(md.digest());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void verify(Path file, String expected, String uri) {
    String actual = digest(file);
    if (!actual.equalsIgnoreCase(expected)) {
      throw new ModelLoadException(
          "model "
              + uri
              + " has sha256 "
              + actual
              + " but "
              + expected.toLowerCase(Locale.ROOT)
              + " was expected; refusing to use it");
    }
  }

  /** Hex SHA-256 of a file. */
  public static String digest(Path file) {
    MessageDigest md = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) >= 0) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new ModelLoadException("could not read model file " + file + ": " + e, e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * A readable name (last path segment) prefixed with a hash of the whole URI, so URIs never
   * collide.
   */
  static String cacheName(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    String last = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    if (last.isEmpty()) {
      last = "model.onnx";
    }
    String hash =
        HexFormat.of()
            .formatHex(sha256().digest(uri.toString().getBytes(StandardCharsets.UTF_8)))
            .substring(0, 16);
    return hash + "-" + last;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
