package io.serval.predictor.inference;

import io.serval.v2.V2Exception;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * V2 BYTES (each element a 4-byte little-endian length, then the bytes) to and from ONNX string
 * tensors. ONNX Runtime's Java API carries strings as {@link String}, so elements travel as UTF-8.
 */
final class StringTensors {
  private StringTensors() {}

  /** Decodes {@code count} elements starting at the buffer's position. */
  static String[] decode(ByteBuffer data, int count, String where) {
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    String[] out = new String[count];
    for (int i = 0; i < count; i++) {
      if (b.remaining() < 4) {
        throw V2Exception.invalid(where + ": BYTES data ends inside element " + i + " of " + count);
      }
      int len = b.getInt();
      if (len < 0 || len > b.remaining()) {
        throw V2Exception.invalid(
            where
                + ": BYTES element "
                + i
                + " claims "
                + Integer.toUnsignedLong(len)
                + " bytes but only "
                + b.remaining()
                + " remain");
      }
      byte[] bytes = new byte[len];
      b.get(bytes);
      out[i] = new String(bytes, StandardCharsets.UTF_8);
    }
    return out;
  }

  /** Flattens the (possibly nested) String arrays ONNX Runtime returns, row-major. */
  static String[] flatten(Object value, int count) {
    String[] out = new String[count];
    int[] pos = {0};
    flattenInto(value, out, pos);
    return out;
  }

  private static void flattenInto(Object value, String[] out, int[] pos) {
    if (value instanceof String s) {
      out[pos[0]++] = s;
    } else if (value instanceof String[] arr) {
      System.arraycopy(arr, 0, out, pos[0], arr.length);
      pos[0] += arr.length;
    } else if (value != null && value.getClass().isArray()) {
      int n = Array.getLength(value);
      for (int i = 0; i < n; i++) {
        flattenInto(Array.get(value, i), out, pos);
      }
    }
  }

  /** Encodes strings as V2 BYTES elements. */
  static ByteBuffer encode(String[] values) {
    byte[][] bytes = new byte[values.length][];
    int size = 0;
    for (int i = 0; i < values.length; i++) {
      bytes[i] = values[i] == null ? new byte[0] : values[i].getBytes(StandardCharsets.UTF_8);
      size += 4 + bytes[i].length;
    }
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] b : bytes) {
      out.putInt(b.length).put(b);
    }
    return out.flip();
  }
}
