package io.serval.objects;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one place that knows which URIs name an object, and which storage holds it: {@code
 * s3://bucket/key} is S3; {@code file:} URIs and plain paths are local files. Anything else is not
 * an object this module can reach.
 */
public final class ObjectUris {

  /** The scheme of objects in S3 or an S3-compatible server. */
  public static final String S3 = "s3";

  /** The scheme of local files. */
  public static final String FILE = "file";

  private ObjectUris() {}

  /**
   * The URI of what the user typed: {@code s3://...} and {@code file:...} as they are, anything
   * else as a local path (relative paths against the working directory).
   */
  public static URI parse(String location) {
    String lower = location.toLowerCase(Locale.ROOT);
    if (lower.startsWith(S3 + "://") || lower.startsWith(FILE + ":")) {
      return URI.create(location);
    }
    return Path.of(location).toAbsolutePath().toUri();
  }

  /** Whether the URI names an object in S3. */
  public static boolean isS3(URI uri) {
    return S3.equalsIgnoreCase(uri.getScheme());
  }

  /** Whether the URI names a local file. */
  public static boolean isLocal(URI uri) {
    return uri.getScheme() == null || FILE.equalsIgnoreCase(uri.getScheme());
  }

  /** The local file a local URI names. */
  static Path localPath(URI uri) {
    if (uri.getScheme() == null) {
      return Path.of(uri.getPath());
    }
    if (!isLocal(uri)) {
      throw new IllegalArgumentException("not a local file: " + uri.getScheme() + ":...");
    }
    return Path.of(uri);
  }
}
