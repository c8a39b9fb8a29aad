package io.serval.router.batch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;

/** Each URI to the {@link JobFiles} that handles its scheme: the job directory, object storage. */
public final class JobFileRoutes implements JobFiles {
  private final List<JobFiles> all;

  public JobFileRoutes(List<JobFiles> all) {
    this.all = List.copyOf(all);
  }

  private JobFiles of(URI uri) throws IOException {
    for (JobFiles f : all) {
      if (f.handles(uri)) {
        return f;
      }
    }
    throw new IOException("no storage for " + uri + " (a file of the job directory, or s3://)");
  }

  @Override
  public boolean handles(URI uri) {
    return all.stream().anyMatch(f -> f.handles(uri));
  }

  @Override
  public InputStream open(URI uri) throws IOException {
    return of(uri).open(uri);
  }

  @Override
  public OutputStream create(URI uri) throws IOException {
    return of(uri).create(uri);
  }

  @Override
  public boolean assemblesAhead(URI uri) {
    return all.stream()
        .filter(f -> f.handles(uri))
        .findFirst()
        .map(f -> f.assemblesAhead(uri))
        .orElse(false);
  }

  @Override
  public OutputStream createTagged(URI uri, String tag) throws IOException {
    return of(uri).createTagged(uri, tag);
  }

  @Override
  public void append(URI from, OutputStream to) throws IOException {
    of(from).append(from, to);
  }

  @Override
  public void delete(URI uri) throws IOException {
    of(uri).delete(uri);
  }

  @Override
  public void abort(OutputStream out) throws IOException {
    for (JobFiles f : all) {
      f.abort(out);
    }
  }
}
