package io.serval.predictor.model;

import io.serval.objects.ObjectAccessDeniedException;
import io.serval.objects.ObjectNotFoundException;
import io.serval.objects.ObjectStorage;
import io.serval.objects.ObjectStorageException;
import io.serval.objects.ObjectStores;
import io.serval.objects.ObjectTooLargeException;
import io.serval.objects.S3Settings;
import io.serval.security.UriRedaction;
import io.serval.specrules.ModelUris;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
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
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Turns a model URI into a local file: {@code file:} URIs are used in place (confined to the
 * configured model roots), {@code http(s):} downloads and {@code s3://bucket/key} objects (through
 * the object-storage module, credentials from the predictor's S3 settings) are cached in a
 * directory (keyed by the URI), written atomically and verified against the expected SHA-256 when
 * one is configured. Both are bounded in size and in time (the whole transfer); downloads follow
 * redirects only to the same host and reach only hosts the {@link AddressPolicy} allows (an S3
 * endpoint is the operator's configuration, not the spec's, so it is not checked against it).
 */
public final class ModelFetcher {
  private static final Logger LOG = Logger.getLogger(ModelFetcher.class);
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final Path cacheDir;
  private final FetchPolicy policy;
  private final ObjectStorage objects;

  /** A fetcher whose {@code s3://} URIs go to AWS S3 with the SDK's default settings. */
  public ModelFetcher(Path cacheDir, FetchPolicy policy) {
    this(cacheDir, policy, new ObjectStores(S3Settings.defaults()));
  }

  /**
   * @param objects where {@code s3://} models are read from (the caller closes it)
   */
  public ModelFetcher(Path cacheDir, FetchPolicy policy, ObjectStorage objects) {
    this.cacheDir = cacheDir;
    this.policy = policy;
    this.objects = objects;
  }

  /**
   * @param sha256 expected digest (hex), checked for files and downloads alike
   * @return a readable local file with the model
   * @throws ModelLoadException when the file is missing or outside the roots, the download fails or
   *     is refused, or the digest differs
   */
  public Path fetch(String uri, Optional<String> sha256) {
    String u = uri.trim();
    ModelUris.Source source =
        ModelUris.source(u)
            .orElseThrow(
                () ->
                    new ModelLoadException(
                        "unsupported model uri '"
                            + UriRedaction.redact(u)
                            + "'; expected "
                            + ModelUris.EXPECTED));
    return switch (source) {
      case FILE -> {
        Path file = policy.roots().confine(localPath(u), u);
        sha256.ifPresent(expected -> verify(file, expected, u));
        yield file;
      }
      case HTTP -> {
        URI parsed;
        try {
          parsed = new URI(u);
        } catch (URISyntaxException e) {
          throw new ModelLoadException(
              "model uri '" + u + "' is not a valid URI: " + e.getMessage());
        }
        yield download(parsed, sha256);
      }
      case S3 -> {
        URI parsed;
        try {
          parsed = new URI(u);
        } catch (URISyntaxException e) {
          throw new ModelLoadException(
              "model uri '" + u + "' is not a valid URI: " + e.getMessage());
        }
        yield fetchObject(parsed, sha256);
      }
    };
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
        LOG.infof("Using cached model %s for %s", target, UriRedaction.redact(uri.toString()));
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
        LOG.infof(
            "Downloaded model %s to %s (sha256 %s)",
            UriRedaction.redact(uri.toString()), target, actual);
        return target;
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new ModelLoadException("could not download model from " + uri + ": " + e, e);
    }
  }

  /**
   * Copies an object ({@code s3://bucket/key}) into the cache, with the bounds of a download: the
   * size limit (refused on the object's size, and while streaming) and one deadline for the whole
   * transfer (when it passes the stream is aborted, which fails a read blocked on a stalled
   * server).
   */
  private Path fetchObject(URI uri, Optional<String> sha256) {
    Path target = cacheDir.resolve(cacheName(uri));
    if (Files.isRegularFile(target)) {
      if (sha256.isEmpty() || digest(target).equalsIgnoreCase(sha256.get())) {
        LOG.infof("Using cached model %s for %s", target, uri);
        return target;
      }
      LOG.warnf("Cached model %s does not match the expected sha256; fetching again", target);
    }
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("model-fetch-deadline").unstarted(r));
    try {
      Files.createDirectories(cacheDir);
      Path tmp = Files.createTempFile(cacheDir, target.getFileName().toString(), ".part");
      try {
        String actual;
        try (InputStream in = objects.open(uri, policy.maxBytes())) {
          timer.schedule(
              () -> {
                timedOut.set(true);
                closeQuietly(in);
              },
              policy.timeout().toNanos(),
              TimeUnit.NANOSECONDS);
          actual = copy(in, tmp);
        }
        if (sha256.isPresent() && !actual.equalsIgnoreCase(sha256.get())) {
          throw new ModelLoadException(
              "model fetched from "
                  + uri
                  + " has sha256 "
                  + actual
                  + " but "
                  + sha256.get().toLowerCase(Locale.ROOT)
                  + " was expected; refusing to use it");
        }
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LOG.infof("Fetched model %s to %s (sha256 %s)", uri, target, actual);
        return target;
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (ObjectTooLargeException e) {
      throw tooLarge(uri, "larger than the limit");
    } catch (IOException e) {
      if (timedOut.get()) {
        throw new ModelLoadException(
            "could not fetch model from "
                + uri
                + ": the transfer did not finish within "
                + policy.timeout()
                + " (serval.predictor.model.download-timeout)",
            e);
      }
      throw new ModelLoadException(objectFailure(uri, e), e);
    } finally {
      timer.shutdownNow();
    }
  }

  /** Why an object could not be fetched, in words that say what to fix. */
  private static String objectFailure(URI uri, IOException e) {
    String hint =
        switch (e) {
          case ObjectNotFoundException n -> " (check the bucket and key of spec.model.uri)";
          case ObjectAccessDeniedException d ->
              " (check the predictor's S3 credentials: SERVAL_S3_ACCESS_KEY_ID_FILE and"
                  + " SERVAL_S3_SECRET_ACCESS_KEY_FILE, or the AWS SDK's environment)";
          default -> "";
        };
    String why = e instanceof ObjectStorageException ? e.getMessage() : e.toString();
    return "could not fetch model from " + uri + ": " + why + hint;
  }

  /** Streams {@code in} into {@code tmp}; returns its SHA-256. */
  private static String copy(InputStream in, Path tmp) throws IOException {
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

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException | RuntimeException ignored) {
      // The transfer fails on its next read, and that failure is what is reported.
    }
  }

  /**
   * Downloads into {@code tmp}. The whole transfer runs under one deadline: when it passes, the
   * client is shut down, which fails a read blocked on a server that stopped sending (a request
   * timeout alone only bounds the wait for the response headers).
   */
  private String transfer(URI uri, Path tmp) throws IOException {
    AtomicBoolean timedOut = new AtomicBoolean();
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(policy.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("model-download-deadline").unstarted(r));
    long deadline = System.nanoTime() + policy.timeout().toNanos();
    try (client) {
      timer.schedule(
          () -> {
            timedOut.set(true);
            client.shutdownNow();
          },
          policy.timeout().toNanos(),
          TimeUnit.NANOSECONDS);
      HttpResponse<InputStream> resp = follow(client, uri, deadline);
      return store(uri, resp, tmp);
    } catch (IOException e) {
      if (timedOut.get()) {
        throw timeout(uri);
      }
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      timer.shutdownNow();
    }
  }

  /** Sends the request, following redirects to the same host only, at most maxRedirects. */
  private HttpResponse<InputStream> follow(HttpClient client, URI uri, long deadline)
      throws IOException, InterruptedException {
    URI current = uri;
    for (int redirects = 0; ; redirects++) {
      policy.addresses().check(current.getHost());
      Duration left = Duration.ofNanos(deadline - System.nanoTime());
      if (!left.isPositive()) {
        throw timeout(uri);
      }
      HttpRequest req = HttpRequest.newBuilder(current).timeout(left).GET().build();
      HttpResponse<InputStream> resp;
      try {
        resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
      } catch (HttpTimeoutException e) {
        throw timeout(uri);
      }
      int status = resp.statusCode();
      if (!REDIRECTS.contains(status)) {
        return resp;
      }
      resp.body().close();
      if (redirects >= policy.maxRedirects()) {
        throw new ModelLoadException(
            "could not download model from "
                + uri
                + ": more than "
                + policy.maxRedirects()
                + " redirects (serval.predictor.model-fetch.max-redirects)");
      }
      String location =
          resp.headers()
              .firstValue("Location")
              .orElseThrow(
                  () ->
                      new ModelLoadException(
                          "could not download model from "
                              + uri
                              + ": HTTP "
                              + status
                              + " without a Location"));
      URI next;
      try {
        next = current.resolve(new URI(location));
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new ModelLoadException(
            "could not download model from " + uri + ": bad redirect Location '" + location + "'");
      }
      current = sameHostRedirect(uri, current, next);
    }
  }

  /**
   * A redirect may change the path, the port and http to https, never the host (which would let a
   * model server send the predictor to an internal address) nor https to http.
   */
  private static URI sameHostRedirect(URI original, URI from, URI to) {
    String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
    boolean sameHost =
        to.getHost() != null
            && from.getHost() != null
            && to.getHost().equalsIgnoreCase(from.getHost());
    if (!sameHost || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new ModelLoadException(
          "could not download model from "
              + original
              + ": refusing a redirect to another host ("
              + to
              + "); only redirects to "
              + from.getHost()
              + " are followed");
    }
    if (from.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
      throw new ModelLoadException(
          "could not download model from "
              + original
              + ": refusing a redirect from https to http ("
              + to
              + ")");
    }
    return to;
  }

  /** Streams the body into tmp under the size cap; returns its SHA-256. */
  private String store(URI uri, HttpResponse<InputStream> resp, Path tmp) throws IOException {
    try (InputStream in = resp.body()) {
      if (resp.statusCode() != 200) {
        throw new ModelLoadException(
            "could not download model from " + uri + ": HTTP " + resp.statusCode());
      }
      long max = policy.maxBytes();
      OptionalLong declared = resp.headers().firstValueAsLong("Content-Length");
      if (declared.isPresent() && declared.getAsLong() > max) {
        throw tooLarge(uri, declared.getAsLong() + " bytes declared");
      }
      MessageDigest md = sha256();
      long total = 0;
      try (OutputStream out = Files.newOutputStream(tmp)) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) >= 0) {
          total += n;
          if (total > max) {
            throw tooLarge(uri, "more than " + max + " bytes sent");
          }
          md.update(buf, 0, n);
          out.write(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(md.digest());
    }
  }

  private ModelLoadException tooLarge(URI uri, String what) {
    return new ModelLoadException(
        "refusing to download model from "
            + uri
            + ": "
            + what
            + ", over the limit of "
            + policy.maxBytes()
            + " bytes (serval.predictor.model-fetch.max-size)");
  }

  private ModelLoadException timeout(URI uri) {
    return new ModelLoadException(
        "could not download model from "
            + uri
            + ": the download did not finish within "
            + policy.timeout()
            + " (serval.predictor.model.download-timeout)");
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
