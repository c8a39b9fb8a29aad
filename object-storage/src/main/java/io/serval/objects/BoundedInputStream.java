package io.serval.objects;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads at most {@code limit} bytes of an object and fails with {@link ObjectTooLargeException} on
 * the first byte past it, so that an object whose size was not known (or lied about) cannot fill a
 * disk.
 */
final class BoundedInputStream extends FilterInputStream {

  private final String name;
  private final long limit;
  private long read;

  BoundedInputStream(InputStream in, String name, long limit) {
    super(in);
    this.name = name;
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    // Ask for one byte more than the limit allows, so that an object of exactly the limit passes
    // and one byte more fails.
    long room = limit - read + 1;
    int n = in.read(buffer, offset, (int) Math.min(length, Math.max(room, 1)));
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(Math.min(n, limit - read + 1));
    count(skipped);
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void count(long n) throws ObjectTooLargeException {
    read += n;
    if (read > limit) {
      throw tooLarge(name, limit);
    }
  }

  static ObjectTooLargeException tooLarge(String name, long limit) {
    return new ObjectTooLargeException(
        name + " is larger than the limit of " + limit + " bytes", limit);
  }
}
