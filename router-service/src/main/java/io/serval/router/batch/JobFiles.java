package io.serval.router.batch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;

/**
 * Where a job's input is read and its results written: a URI's bytes as a stream, never whole in
 * memory. The local job directory ({@code file:}) is one implementation; object storage ({@code
 * s3:}) another.
 */
public interface JobFiles {
  /** Whether this reads and writes URIs like {@code uri}. */
  boolean handles(URI uri);

  /** Reads the object at {@code uri}. */
  InputStream open(URI uri) throws IOException;

  /**
   * Creates (or replaces) the object at {@code uri}; it is complete, and durable (a local file is
   * synced to disk), once the stream is closed.
   */
  OutputStream create(URI uri) throws IOException;

  /**
   * Discards what was written to a stream {@link #create} returned, so that closing it publishes
   * nothing (a writer whose own work failed calls it before closing).
   */
  default void abort(OutputStream out) throws IOException {}

  /**
   * Whether a result at {@code uri} can be assembled while its job runs, in a stream of {@link
   * #createTagged} kept open between chunks (a local file: yes; an object upload: no, it would be
   * held open for the whole job).
   */
  default boolean assemblesAhead(URI uri) {
    return false;
  }

  /**
   * Like {@link #create}, under a temporary name of the caller's where the storage has one, so that
   * two writers of the same result do not write over each other's unfinished copy.
   */
  default OutputStream createTagged(URI uri, String tag) throws IOException {
    return create(uri);
  }

  /**
   * Copies the object at {@code from} to the end of {@code to} (a stream {@link #create} returned).
   */
  default void append(URI from, OutputStream to) throws IOException {
    try (InputStream in = open(from)) {
      in.transferTo(to);
    }
  }

  /** Deletes the object at {@code uri}; nothing happens when there is none. */
  void delete(URI uri) throws IOException;
}
