package io.serval.v2;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Reads a V2 JSON {@code data} value (nested or flat row-major array, or a lone scalar) straight
 * into the little-endian binary layout, one primitive at a time.
 */
final class JsonTensorDataReader {
  private JsonTensorDataReader() {}

  /**
   * @param p positioned on the first token of the data value; left on its last token
   * @return the number of elements read
   */
  static long read(JsonParser p, Datatype type, LittleEndianSink sink, String where)
      throws IOException {
    if (type == Datatype.FP16 || type == Datatype.BF16) {
      throw V2Exception.invalid(
          where
              + ": "
              + type
              + " data cannot be sent as JSON numbers; send "
              + type
              + " as binary (parameters.binary_data_size with the Inference-Header-Content-Length"
              + " header)");
    }
    JsonToken t = p.currentToken();
    if (t != JsonToken.START_ARRAY) {
      readElement(p, t, type, sink, where, 0);
      return 1;
    }
    long count = 0;
    int depth = 1;
    while (depth > 0) {
      t = p.nextToken();
      if (t == null) {
        throw V2Exception.invalid(where + ": data ends before its array is closed");
      }
      switch (t) {
        case START_ARRAY -> depth++;
        case END_ARRAY -> depth--;
        default -> readElement(p, t, type, sink, where, count++);
      }
    }
    return count;
  }

  private static void readElement(
      JsonParser p, JsonToken t, Datatype type, LittleEndianSink sink, String where, long index)
      throws IOException {
    switch (type) {
      case BOOL -> {
        if (t == JsonToken.VALUE_TRUE) {
          sink.putByte(1);
        } else if (t == JsonToken.VALUE_FALSE) {
          sink.putByte(0);
        } else {
          throw wrongToken(p, t, where, index, "true or false for BOOL");
        }
      }
      case INT8 -> sink.putByte((int) integer(p, t, type, where, index, -128, 127));
      case INT16 -> sink.putShort((int) integer(p, t, type, where, index, -32768, 32767));
      case INT32 ->
          sink.putInt(
              (int) integer(p, t, type, where, index, Integer.MIN_VALUE, Integer.MAX_VALUE));
      case INT64 -> sink.putLong(integer(p, t, type, where, index, Long.MIN_VALUE, Long.MAX_VALUE));
      case UINT8 -> sink.putByte((int) integer(p, t, type, where, index, 0, 255));
      case UINT16 -> sink.putShort((int) integer(p, t, type, where, index, 0, 65535));
      case UINT32 -> sink.putInt((int) integer(p, t, type, where, index, 0, 0xFFFF_FFFFL));
      case UINT64 -> sink.putLong(uint64(p, t, where, index));
      case FP32 -> {
        requireNumber(p, t, where, index, type);
        float f = p.getFloatValue();
        if (Float.isInfinite(f)) {
          throw outOfRange(p, where, index, type, "");
        }
        sink.putFloat(f);
      }
      case FP64 -> {
        requireNumber(p, t, where, index, type);
        double d = p.getDoubleValue();
        if (Double.isInfinite(d)) {
          throw outOfRange(p, where, index, type, "");
        }
        sink.putDouble(d);
      }
      case BYTES -> {
        if (t != JsonToken.VALUE_STRING) {
          throw wrongToken(p, t, where, index, "a string for BYTES");
        }
        byte[] utf8 = p.getText().getBytes(StandardCharsets.UTF_8);
        sink.putInt(utf8.length);
        sink.putBytes(utf8);
      }
      default -> throw new IllegalStateException("no JSON form for " + type);
    }
  }

  private static long integer(
      JsonParser p, JsonToken t, Datatype type, String where, long index, long min, long max)
      throws IOException {
    if (t != JsonToken.VALUE_NUMBER_INT) {
      throw wrongToken(p, t, where, index, "an integer for " + type);
    }
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw outOfRange(p, where, index, type, " [" + min + ", " + max + "]");
    }
    long v = p.getLongValue();
    if (v < min || v > max) {
      throw outOfRange(p, where, index, type, " [" + min + ", " + max + "]");
    }
    return v;
  }

  private static final BigInteger UINT64_MAX =
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private static long uint64(JsonParser p, JsonToken t, String where, long index)
      throws IOException {
    if (t != JsonToken.VALUE_NUMBER_INT) {
      throw wrongToken(p, t, where, index, "an integer for UINT64");
    }
    String range = " [0, " + UINT64_MAX + "]";
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      BigInteger v = p.getBigIntegerValue();
      if (v.signum() < 0 || v.bitLength() > 64) {
        throw outOfRange(p, where, index, Datatype.UINT64, range);
      }
      return v.longValue();
    }
    long v = p.getLongValue();
    if (v < 0) {
      throw outOfRange(p, where, index, Datatype.UINT64, range);
    }
    return v;
  }

  private static void requireNumber(
      JsonParser p, JsonToken t, String where, long index, Datatype type) throws IOException {
    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
      throw wrongToken(p, t, where, index, "a number for " + type);
    }
  }

  private static V2Exception outOfRange(
      JsonParser p, String where, long index, Datatype type, String range) throws IOException {
    return V2Exception.invalid(
        where + ": data[" + index + "] = " + p.getText() + " is out of range for " + type + range);
  }

  private static V2Exception wrongToken(
      JsonParser p, JsonToken t, String where, long index, String expected) throws IOException {
    return V2Exception.invalid(
        where + ": data[" + index + "] is " + describe(p, t) + "; expected " + expected);
  }

  static String describe(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_STRING -> {
        String s = p.getText();
        yield "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + p.getText();
      case VALUE_TRUE -> "true";
      case VALUE_FALSE -> "false";
      case VALUE_NULL -> "null";
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }
}
