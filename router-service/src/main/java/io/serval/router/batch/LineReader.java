package io.serval.router.batch;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a JSONL input one line at a time, with each line's byte offset, holding at most {@code
 * maxLineBytes} of a line: a longer line is reported as too long (its bytes skipped, never held),
 * so that no input, however written, takes more memory than that. Lines end at {@code \n} (a {@code
 * \r} before it is dropped); a last line without one counts, an empty end does not.
 */
final class LineReader implements Closeable {

  /**
   * One line.
   *
   * @param offset where it starts in the input
   * @param bytes its bytes, without the line end; null when it was longer than the bound
   * @param length its length in bytes, without the line end
   */
  record Line(long offset, byte[] bytes, long length) {
    boolean tooLong() {
      return bytes == null;
    }
  }

  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] buffer = new byte[1 << 16];
  private int pos;
  private int limit;
  private long offset;
  private boolean eof;

  /**
   * @param in the input, positioned at {@code offset}
   */
  LineReader(InputStream in, long offset, int maxLineBytes) {
    this.in = in;
    this.offset = offset;
    this.maxLineBytes = maxLineBytes;
  }

  /** The next line, or null at the end of the input. */
  Line next() throws IOException {
    long start = offset;
    byte[] line = new byte[Math.min(256, maxLineBytes)];
    int held = 0;
    long length = 0;
    boolean tooLong = false;
    while (true) {
      if (pos == limit && !fill()) {
        if (length == 0) {
          return null;
        }
        return finish(start, line, held, length, tooLong);
      }
      byte b = buffer[pos++];
      offset++;
      if (b == '\n') {
        return finish(start, line, held, length, tooLong);
      }
      length++;
      if (tooLong) {
        continue;
      }
      // One byte over the bound is kept, for a '\r' that the line end drops.
      if (held == maxLineBytes + 1) {
        tooLong = true;
        line = null;
        continue;
      }
      if (held == line.length) {
        line = Arrays.copyOf(line, (int) Math.min((long) maxLineBytes + 1, line.length * 2L));
      }
      line[held++] = b;
    }
  }

  private Line finish(long start, byte[] line, int held, long length, boolean tooLong) {
    if (!tooLong && held > 0 && line[held - 1] == '\r') {
      held--;
      length--;
    }
    if (tooLong || held > maxLineBytes) {
      return new Line(start, null, length);
    }
    return new Line(start, Arrays.copyOf(line, held), length);
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int n = in.read(buffer, 0, buffer.length);
    if (n <= 0) {
      eof = true;
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
