package io.serval.objects;

import java.net.URI;

/**
 * An object in S3: {@code s3://bucket/key}. The key is the URI's path without its leading slash,
 * decoded ({@code %20} is a space). A URI with user-info, a query or a fragment is refused: S3
 * credentials come from the settings, never from a URI that would be shown in a spec or a log.
 */
public record S3Location(String bucket, String key) {

  public S3Location {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("an s3:// URI needs a bucket: s3://bucket/key");
    }
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("an s3:// URI needs a key: s3://" + bucket + "/key");
    }
  }

  /** The location an {@code s3://bucket/key} URI names. */
  public static S3Location of(URI uri) {
    if (!ObjectUris.isS3(uri)) {
      throw new IllegalArgumentException("not an s3:// URI");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "an s3:// URI must not carry credentials: they come from the S3 settings");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("an s3:// URI has no query or fragment: s3://bucket/key");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    return new S3Location(uri.getAuthority(), path.startsWith("/") ? path.substring(1) : path);
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + key;
  }
}
