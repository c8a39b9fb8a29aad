package io.serval.v2;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes tensor bytes (V2 binary layout) as a flat JSON array, one primitive at a time. FP32 data
 * is written straight into the body's array (see {@link FloatDecimal}); the other types go through
 * Jackson's generator.
 */
final class JsonTensorDataWriter {
  private JsonTensorDataWriter() {}

  /**
   * BYTES elements become JSON strings decoded as UTF-8 (invalid sequences turn into U+FFFD);
   * clients that need exact bytes ask for binary output. FP16/BF16 have no JSON form.
   *
   * @param sink where {@code g} writes to
   */
  static void write(JsonGenerator g, JsonBodySink sink, Datatype type, ByteBuffer data)
      throws IOException {
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int p = b.position();
    int end = b.limit();
    if (type == Datatype.FP32) {
      writeFp32(g, sink, b, p, end);
      return;
    }
    g.writeStartArray();
    switch (type) {
      case BOOL -> {
        for (; p < end; p++) {
          g.writeBoolean(b.get(p) != 0);
        }
      }
      case INT8 -> {
        for (; p < end; p++) {
          g.writeNumber(b.get(p));
        }
      }
      case INT16 -> {
        for (; p < end; p += 2) {
          g.writeNumber(b.getShort(p));
        }
      }
      case INT32 -> {
        for (; p < end; p += 4) {
          g.writeNumber(b.getInt(p));
        }
      }
      case INT64 -> {
        for (; p < end; p += 8) {
          g.writeNumber(b.getLong(p));
        }
      }
      case UINT8 -> {
        for (; p < end; p++) {
          g.writeNumber(Byte.toUnsignedInt(b.get(p)));
        }
      }
      case UINT16 -> {
        for (; p < end; p += 2) {
          g.writeNumber(Short.toUnsignedInt(b.getShort(p)));
        }
      }
      case UINT32 -> {
        for (; p < end; p += 4) {
          g.writeNumber(Integer.toUnsignedLong(b.getInt(p)));
        }
      }
      case UINT64 -> {
        for (; p < end; p += 8) {
          long v = b.getLong(p);
          if (v >= 0) {
            g.writeNumber(v);
          } else {
            g.writeNumber(Long.toUnsignedString(v));
          }
        }
      }
      case FP32 -> throw new IllegalStateException("FP32 is written by writeFp32");
      case FP64 -> {
        for (; p < end; p += 8) {
          g.writeNumber(b.getDouble(p));
        }
      }
      case BYTES -> {
        byte[] scratch = new byte[64];
        while (p < end) {
          int len = b.getInt(p);
          p += 4;
          if (scratch.length < len) {
            scratch = new byte[len];
          }
          b.get(p, scratch, 0, len);
          g.writeString(new String(scratch, 0, len, StandardCharsets.UTF_8));
          p += len;
        }
      }
      case FP16, BF16 -> throw new IllegalArgumentException(type + " has no JSON form");
    }
    g.writeEndArray();
  }

  /** Worst case per element: 15 bytes of a finite float ("\"-Infinity\"" is 11) and a comma. */
  private static final int FP32_MAX_BYTES = FloatDecimal.MAX_BYTES + 1;

  private static final byte[] NAN = quoted("NaN");
  private static final byte[] INFINITY = quoted("Infinity");
  private static final byte[] MINUS_INFINITY = quoted("-Infinity");

  /**
   * The same bytes Jackson's {@code writeNumber(float)} writes (Float.toString's digits; NaN and
   * the infinities as quoted strings, Jackson's default), but without a String per element.
   */
  private static void writeFp32(JsonGenerator g, JsonBodySink sink, ByteBuffer b, int from, int end)
      throws IOException {
    // An empty raw value makes the generator write the separator before it and count a value as
    // written; the array itself then goes into the sink, behind what the generator flushed.
    g.writeRawValue("");
    g.flush();
    int count = (end - from) / 4;
    sink.reserve(2 + (long) count * FP32_MAX_BYTES);
    byte[] out = sink.array();
    int i = sink.size();
    out[i++] = '[';
    for (int p = from; p < end; p += 4) {
      if (p != from) {
        out[i++] = ',';
      }
      float v = b.getFloat(p);
      if (Float.isFinite(v)) {
        i = FloatDecimal.write(v, out, i);
      } else {
        byte[] word = Float.isNaN(v) ? NAN : v > 0 ? INFINITY : MINUS_INFINITY;
        System.arraycopy(word, 0, out, i, word.length);
        i += word.length;
      }
    }
    out[i++] = ']';
    sink.advanceTo(i);
  }

  private static byte[] quoted(String word) {
    return ('"' + word + '"').getBytes(StandardCharsets.US_ASCII);
  }
}
