package io.serval.v2;

import com.google.protobuf.ByteString;
import io.serval.proto.inference.InferTensorContents;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts between the typed {@code InferTensorContents} fields and the V2 binary layout. Each
 * datatype has exactly one field it may use; FP16 and BF16 have none (raw only).
 */
final class TypedContents {
  private TypedContents() {}

  private static final String[] FIELD_NAMES = {
    "bool_contents",
    "int_contents",
    "int64_contents",
    "uint_contents",
    "uint64_contents",
    "fp32_contents",
    "fp64_contents",
    "bytes_contents"
  };

  /** Index into FIELD_NAMES of the field a datatype uses, or -1 for raw-only types. */
  static int fieldOf(Datatype type) {
    return switch (type) {
      case BOOL -> 0;
      case INT8, INT16, INT32 -> 1;
      case INT64 -> 2;
      case UINT8, UINT16, UINT32 -> 3;
      case UINT64 -> 4;
      case FP32 -> 5;
      case FP64 -> 6;
      case BYTES -> 7;
      case FP16, BF16 -> -1;
    };
  }

  static String fieldName(Datatype type) {
    int f = fieldOf(type);
    return f < 0 ? "raw contents" : FIELD_NAMES[f];
  }

  private static int count(InferTensorContents c, int field) {
    return switch (field) {
      case 0 -> c.getBoolContentsCount();
      case 1 -> c.getIntContentsCount();
      case 2 -> c.getInt64ContentsCount();
      case 3 -> c.getUintContentsCount();
      case 4 -> c.getUint64ContentsCount();
      case 5 -> c.getFp32ContentsCount();
      case 6 -> c.getFp64ContentsCount();
      case 7 -> c.getBytesContentsCount();
      default -> throw new IllegalArgumentException("field " + field);
    };
  }

  /** True when any typed field holds at least one value. */
  static boolean hasAny(InferTensorContents c) {
    for (int f = 0; f < FIELD_NAMES.length; f++) {
      if (count(c, f) > 0) {
        return true;
      }
    }
    return false;
  }

  /** Converts typed contents into a little-endian buffer (position 0, limit = length). */
  static ByteBuffer toRaw(String where, Datatype type, long[] shape, InferTensorContents c) {
    long elements = Shapes.elementCount(shape);
    int field = fieldOf(type);
    if (field < 0) {
      if (elements == 0 && !hasAny(c)) {
        return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
      }
      throw V2Exception.invalid(
          where + ": " + type + " data must be sent in raw_input_contents; it has no typed field");
    }
    for (int f = 0; f < FIELD_NAMES.length; f++) {
      if (f != field && count(c, f) > 0) {
        throw V2Exception.invalid(
            where
                + ": "
                + type
                + " data belongs in contents."
                + FIELD_NAMES[field]
                + ", but contents."
                + FIELD_NAMES[f]
                + " was set");
      }
    }
    int given = count(c, field);
    if (given != elements) {
      if (given == 0) {
        throw V2Exception.invalid(
            where
                + " has no data: set contents."
                + FIELD_NAMES[field]
                + " or raw_input_contents (shape "
                + Shapes.format(shape)
                + " needs "
                + elements
                + " elements)");
      }
      throw V2Exception.invalid(
          where
              + ": shape "
              + Shapes.format(shape)
              + " needs "
              + elements
              + " "
              + type
              + " elements but contents."
              + FIELD_NAMES[field]
              + " has "
              + given);
    }
    int n = given;
    if (type == Datatype.BYTES) {
      long total = 4L * n;
      for (int i = 0; i < n; i++) {
        total += c.getBytesContents(i).size();
      }
      if (total > Integer.MAX_VALUE - 8) {
        throw V2Exception.payloadTooLarge(where + ": BYTES data exceeds 2 GiB");
      }
      ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        ByteString s = c.getBytesContents(i);
        out.putInt(s.size());
        s.copyTo(out);
      }
      return out.flip();
    }
    long bytes = (long) n * type.byteSize();
    if (bytes > Integer.MAX_VALUE - 8) {
      throw V2Exception.payloadTooLarge(where + ": " + type + " data exceeds 2 GiB");
    }
    ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    switch (type) {
      case BOOL -> {
        for (int i = 0; i < n; i++) {
          out.put(c.getBoolContents(i) ? (byte) 1 : (byte) 0);
        }
      }
      case INT8 -> {
        for (int i = 0; i < n; i++) {
          out.put(
              (byte) checkRange(where, "int_contents", i, c.getIntContents(i), -128, 127, type));
        }
      }
      case INT16 -> {
        for (int i = 0; i < n; i++) {
          out.putShort(
              (short)
                  checkRange(where, "int_contents", i, c.getIntContents(i), -32768, 32767, type));
        }
      }
      case INT32 -> {
        for (int i = 0; i < n; i++) {
          out.putInt(c.getIntContents(i));
        }
      }
      case INT64 -> {
        for (int i = 0; i < n; i++) {
          out.putLong(c.getInt64Contents(i));
        }
      }
      case UINT8 -> {
        for (int i = 0; i < n; i++) {
          long v = Integer.toUnsignedLong(c.getUintContents(i));
          out.put((byte) checkRange(where, "uint_contents", i, v, 0, 255, type));
        }
      }
      case UINT16 -> {
        for (int i = 0; i < n; i++) {
          long v = Integer.toUnsignedLong(c.getUintContents(i));
          out.putShort((short) checkRange(where, "uint_contents", i, v, 0, 65535, type));
        }
      }
      case UINT32 -> {
        for (int i = 0; i < n; i++) {
          out.putInt(c.getUintContents(i));
        }
      }
      case UINT64 -> {
        for (int i = 0; i < n; i++) {
          out.putLong(c.getUint64Contents(i));
        }
      }
      case FP32 -> {
        for (int i = 0; i < n; i++) {
          out.putFloat(c.getFp32Contents(i));
        }
      }
      case FP64 -> {
        for (int i = 0; i < n; i++) {
          out.putDouble(c.getFp64Contents(i));
        }
      }
      default -> throw new IllegalStateException("unreachable: " + type);
    }
    return out.flip();
  }

  private static long checkRange(
      String where, String field, int index, long value, long min, long max, Datatype type) {
    if (value < min || value > max) {
      throw V2Exception.invalid(
          where
              + ": contents."
              + field
              + "["
              + index
              + "] = "
              + value
              + " is out of range for "
              + type
              + " ["
              + min
              + ", "
              + max
              + "]");
    }
    return value;
  }

  /**
   * Appends the elements of {@code data} (V2 binary layout, from position to limit) to the typed
   * field of {@code out}. FP16/BF16 have no typed field: the caller must send those raw.
   */
  static void fromRaw(Datatype type, ByteBuffer data, InferTensorContents.Builder out) {
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int p = b.position();
    int end = b.limit();
    switch (type) {
      case BOOL -> {
        for (; p < end; p++) {
          out.addBoolContents(b.get(p) != 0);
        }
      }
      case INT8 -> {
        for (; p < end; p++) {
          out.addIntContents(b.get(p));
        }
      }
      case INT16 -> {
        for (; p < end; p += 2) {
          out.addIntContents(b.getShort(p));
        }
      }
      case INT32 -> {
        for (; p < end; p += 4) {
          out.addIntContents(b.getInt(p));
        }
      }
      case INT64 -> {
        for (; p < end; p += 8) {
          out.addInt64Contents(b.getLong(p));
        }
      }
      case UINT8 -> {
        for (; p < end; p++) {
          out.addUintContents(Byte.toUnsignedInt(b.get(p)));
        }
      }
      case UINT16 -> {
        for (; p < end; p += 2) {
          out.addUintContents(Short.toUnsignedInt(b.getShort(p)));
        }
      }
      case UINT32 -> {
        for (; p < end; p += 4) {
          out.addUintContents(b.getInt(p));
        }
      }
      case UINT64 -> {
        for (; p < end; p += 8) {
          out.addUint64Contents(b.getLong(p));
        }
      }
      case FP32 -> {
        for (; p < end; p += 4) {
          out.addFp32Contents(b.getFloat(p));
        }
      }
      case FP64 -> {
        for (; p < end; p += 8) {
          out.addFp64Contents(b.getDouble(p));
        }
      }
      case BYTES -> {
        while (p < end) {
          int len = b.getInt(p);
          p += 4;
          out.addBytesContents(ByteString.copyFrom(b.slice(p, len)));
          p += len;
        }
      }
      case FP16, BF16 ->
          throw new IllegalArgumentException(type + " has no typed contents field; send it raw");
    }
  }
}
