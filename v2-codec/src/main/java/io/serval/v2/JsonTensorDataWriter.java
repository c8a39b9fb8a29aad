package io.serval.v2;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes tensor bytes (V2 binary layout) as a flat JSON array, one primitive at a time. */
final class JsonTensorDataWriter {
  private JsonTensorDataWriter() {}

  /**
   * BYTES elements become JSON strings decoded as UTF-8 (invalid sequences turn into U+FFFD);
   * clients that need exact bytes ask for binary output. FP16/BF16 have no JSON form.
   */
  static void write(JsonGenerator g, Datatype type, ByteBuffer data) throws IOException {
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int p = b.position();
    int end = b.limit();
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
      case FP32 -> {
        for (; p < end; p += 4) {
          g.writeNumber(b.getFloat(p));
        }
      }
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
}
