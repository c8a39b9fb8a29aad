package io.serval.v2;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * The byte array a response body is written into: Jackson's generator writes through it as an
 * OutputStream, and tensor data writers reserve room and write digits straight into its array, so
 * that neither goes through an intermediate String or a segmented builder.
 */
final class JsonBodySink extends OutputStream {
  private static final int MAX = Integer.MAX_VALUE - 16;

  private byte[] buf;
  private int size;

  JsonBodySink(int initialCapacity) {
    buf = new byte[Math.max(256, initialCapacity)];
  }

  int size() {
    return size;
  }

  /** The backing array, valid for writing from {@link #size()} up to what was last reserved. */
  byte[] array() {
    return buf;
  }

  /**
   * Makes room for {@code n} more bytes after {@link #size()} (the array may be replaced: read
   * {@link #array()} after this).
   */
  void reserve(long n) {
    long wanted = size + n;
    if (wanted > buf.length) {
      if (wanted > MAX) {
        throw V2Exception.payloadTooLarge("inference response exceeds 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) Math.min(MAX, Math.max(wanted, 2L * buf.length)));
    }
  }

  /** Marks bytes written directly into {@link #array()} as part of the body. */
  void advanceTo(int newSize) {
    size = newSize;
  }

  @Override
  public void write(int b) {
    reserve(1);
    buf[size++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    reserve(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
  }

  /** The body as an array of its exact length. */
  byte[] toByteArray() {
    return buf.length == size ? buf : Arrays.copyOf(buf, size);
  }
}
