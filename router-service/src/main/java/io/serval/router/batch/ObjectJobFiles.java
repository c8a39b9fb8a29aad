package io.serval.router.batch;

import io.serval.objects.ObjectStorage;
import io.serval.objects.ObjectUris;
import io.serval.objects.UploadStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;

/**
 * A job's input and results in object storage ({@code s3://bucket/key}), through the object-storage
 * module: reads stream, and an object written appears whole when its stream is closed, or not at
 * all when it is aborted.
 */
public final class ObjectJobFiles implements JobFiles {
  private final ObjectStorage storage;

  public ObjectJobFiles(ObjectStorage storage) {
    this.storage = storage;
  }

  @Override
  public boolean handles(URI uri) {
    return ObjectUris.isS3(uri);
  }

  @Override
  public InputStream open(URI uri) throws IOException {
    return storage.open(uri);
  }

  @Override
  public OutputStream create(URI uri) throws IOException {
    return storage.create(uri);
  }

  @Override
  public void abort(OutputStream out) throws IOException {
    if (out instanceof UploadStream upload) {
      upload.abort();
    }
  }

  @Override
  public void delete(URI uri) throws IOException {
    storage.delete(uri);
  }
}
