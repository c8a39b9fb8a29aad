package io.serval.specrules;

import java.util.Locale;
import java.util.Optional;

/**
 * The one rule of where a model may come from ({@code spec.model.uri}), applied by the operator
 * (spec validation) and by the predictor (its configuration check) alike: a local file ({@code
 * file:/abs.onnx}, {@code file:relative.onnx}), an http(s) download, or an object in S3 or an
 * S3-compatible server ({@code s3://bucket/key}).
 */
public final class ModelUris {

  /** Where a model comes from. */
  public enum Source {
    FILE,
    HTTP,
    S3
  }

  /** What is allowed, for messages. */
  public static final String EXPECTED =
      "file:/absolute/path.onnx, file:relative/path.onnx, http(s)://host/path or s3://bucket/key";

  private ModelUris() {}

  /** Where the URI's model comes from, or empty when the URI is not one a model may have. */
  public static Optional<Source> source(String uri) {
    if (uri == null) {
      return Optional.empty();
    }
    String u = uri.trim();
    String lower = u.toLowerCase(Locale.ROOT);
    if (u.startsWith("file:") && u.length() > "file:".length()) {
      return Optional.of(Source.FILE);
    }
    if ((u.startsWith("http://") && u.length() > "http://".length())
        || (u.startsWith("https://") && u.length() > "https://".length())) {
      return Optional.of(Source.HTTP);
    }
    if (lower.startsWith("s3://") && validS3(u.substring("s3://".length()))) {
      return Optional.of(Source.S3);
    }
    return Optional.empty();
  }

  /** {@code bucket/key}: a bucket, a non-empty key, no credentials, query or fragment. */
  private static boolean validS3(String rest) {
    int slash = rest.indexOf('/');
    return slash > 0
        && slash < rest.length() - 1
        && rest.indexOf('@') < 0
        && rest.indexOf('?') < 0
        && rest.indexOf('#') < 0
        && rest.chars().noneMatch(Character::isWhitespace);
  }
}
