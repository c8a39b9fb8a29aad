package io.serval.router.wire;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Passes gRPC messages through as their serialized bytes, so the router never decodes tensors.
 *
 * <p>Both directions copy a message once, into an array of its exact size. {@code readAllBytes} and
 * a plain {@code ByteArrayInputStream} did not: the first reads through 16 KiB chunks, and
 * grpc-java frames a stream of unknown length through its own heap buffers. Together they were more
 * than half of the router's allocation per request (about 25 of 45 KB for a tiny model).
 */
public final class ByteArrayMarshaller implements MethodDescriptor.Marshaller<byte[]> {
  public static final ByteArrayMarshaller INSTANCE = new ByteArrayMarshaller();

  private ByteArrayMarshaller() {}

  @Override
  public InputStream stream(byte[] value) {
    return new MessageStream(value);
  }

  @Override
  public byte[] parse(InputStream stream) {
    try (stream) {
      if (stream instanceof KnownLength) {
        // grpc-java's deframed messages know their remaining length exactly.
        int length = stream.available();
        byte[] message = stream.readNBytes(length);
        if (stream.read() == -1) {
          return message;
        }
        throw new IOException("message longer than its announced " + length + " bytes");
      }
      return stream.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading a gRPC message failed", e);
    }
  }

  /** A message grpc-java can size up front and write out in one call. */
  static final class MessageStream extends ByteArrayInputStream implements KnownLength, Drainable {
    MessageStream(byte[] message) {
      super(message);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = count - pos;
      target.write(buf, pos, n);
      pos = count;
      return n;
    }
  }
}
