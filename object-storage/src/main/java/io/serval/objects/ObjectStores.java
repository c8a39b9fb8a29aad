package io.serval.objects;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;

/**
 * The {@link ObjectStorage} a service uses: each URI goes to the storage its scheme names (see
 * {@link ObjectUris}). The S3 client is built on the first {@code s3://} URI, so a service that
 * only ever reads local files never starts one.
 */
public final class ObjectStores implements ObjectStorage {

  private final LocalFileStorage files = new LocalFileStorage();
  private final S3Settings s3Settings;
  private S3ObjectStorage s3;

  public ObjectStores(S3Settings s3Settings) {
    this.s3Settings = s3Settings;
  }

  /** Local files, and S3 as the process's environment configures it ({@code SERVAL_S3_*}). */
  public static ObjectStores fromEnvironment() {
    return new ObjectStores(S3Settings.fromEnvironment(System.getenv()));
  }

  /** The S3 settings this storage uses. */
  public S3Settings s3Settings() {
    return s3Settings;
  }

  @Override
  public InputStream open(URI uri, long maxBytes) throws IOException {
    return storageFor(uri).open(uri, maxBytes);
  }

  @Override
  public UploadStream create(URI uri) throws IOException {
    return storageFor(uri).create(uri);
  }

  @Override
  public void delete(URI uri) throws IOException {
    storageFor(uri).delete(uri);
  }

  @Override
  public Optional<Long> size(URI uri) throws IOException {
    return storageFor(uri).size(uri);
  }

  /** The storage that holds the URI's object. */
  public ObjectStorage storageFor(URI uri) {
    if (ObjectUris.isLocal(uri)) {
      return files;
    }
    if (ObjectUris.isS3(uri)) {
      return s3();
    }
    throw new IllegalArgumentException(
        "unsupported location scheme '"
            + uri.getScheme()
            + "': use a local path, file:///path or s3://bucket/key");
  }

  private synchronized S3ObjectStorage s3() {
    if (s3 == null) {
      s3 = new S3ObjectStorage(s3Settings);
    }
    return s3;
  }

  @Override
  public synchronized void close() {
    if (s3 != null) {
      s3.close();
      s3 = null;
    }
  }
}
