package io.serval.objects;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;

/**
 * Where models and batch files are read from and written to: a local file ({@code /path}, {@code
 * file:///path}) or an object ({@code s3://bucket/key}), chosen by the URI's scheme ({@link
 * ObjectStores}). Reads and writes stream: no implementation holds a whole object in memory.
 *
 * <p>Failures are {@link ObjectStorageException}s of a kind a service can answer with: {@link
 * ObjectNotFoundException} (no such bucket, key or file: 404/400), {@link
 * ObjectAccessDeniedException} (403), {@link ObjectStorageUnavailableException} (the endpoint
 * cannot be reached or failed: 503), {@link ObjectTooLargeException} (past the caller's limit),
 * {@link ObjectRequestInvalidException} (the storage refused the request as malformed: 400). Their
 * messages name the object but never a credential.
 */
public interface ObjectStorage extends AutoCloseable {

  /**
   * Opens the object for reading, at most {@code maxBytes} of it: a read past the limit fails with
   * {@link ObjectTooLargeException}, and an object whose size is known to be larger fails at once.
   */
  InputStream open(URI uri, long maxBytes) throws IOException;

  /** Opens the object for reading, without a limit. */
  default InputStream open(URI uri) throws IOException {
    return open(uri, Long.MAX_VALUE);
  }

  /**
   * Creates (or replaces) the object, which becomes visible only when the stream is closed without
   * a failure: a writer that dies half-way, or calls {@link UploadStream#abort()}, leaves no
   * partial object behind. Large objects are uploaded in parts as they are written.
   */
  UploadStream create(URI uri) throws IOException;

  /** The object's size in bytes, or empty if there is no such object. */
  Optional<Long> size(URI uri) throws IOException;

  /** Deletes the object; nothing happens when there is no such object. */
  void delete(URI uri) throws IOException;

  /** Whether the object exists. */
  default boolean exists(URI uri) throws IOException {
    return size(uri).isPresent();
  }

  /** Releases the clients this storage holds (HTTP connections); the default holds none. */
  @Override
  default void close() {}
}
