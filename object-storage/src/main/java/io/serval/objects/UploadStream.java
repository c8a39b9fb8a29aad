package io.serval.objects;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The stream {@link ObjectStorage#create} returns. {@link #close()} publishes what was written (the
 * object appears whole, or not at all); {@link #abort()} discards it. A writer whose own work
 * failed calls {@code abort()} before the {@code close()} of a try-with-resources, which is then a
 * no-op; a write that failed inside the stream aborts it by itself.
 */
public abstract class UploadStream extends OutputStream {

  /** Discards what was written; the object stays as it was. Idempotent; close() is then a no-op. */
  public abstract void abort() throws IOException;
}
