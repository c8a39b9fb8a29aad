package io.serval.v2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Six sample elements per datatype (shape [2,3]) as JSON literals, with their expected V2 binary
 * layout computed independently of the codec (JDK parsing + ByteBuffer).
 */
final class Samples {
  private Samples() {}

  static final long[] SHAPE = {2, 3};

  static List<String> literals(Datatype type) {
    return switch (type) {
      case BOOL -> List.of("true", "false", "true", "true", "false", "false");
      case UINT8 -> List.of("0", "255", "7", "128", "1", "2");
      case INT8 -> List.of("-128", "127", "0", "-1", "5", "6");
      case UINT16 -> List.of("0", "65535", "300", "32768", "1", "2");
      case INT16 -> List.of("-32768", "32767", "0", "-1", "300", "-300");
      case UINT32 -> List.of("0", "4294967295", "2147483648", "1", "70000", "3");
      case INT32 -> List.of("-2147483648", "2147483647", "0", "-1", "70000", "-70000");
      case UINT64 ->
          List.of("0", "18446744073709551615", "9223372036854775808", "1", "42", "5000000000");
      case INT64 ->
          List.of("-9223372036854775808", "9223372036854775807", "0", "-1", "42", "-5000000000");
      case FP32 -> List.of("1.5", "-0.25", "3.4028235E38", "1.4E-45", "0.1", "0");
      case FP64 -> List.of("0.1", "-2.5E300", "4.9E-324", "1.7976931348623157E308", "-0.0", "3");
      case BYTES ->
          List.of("\"hello\"", "\"\"", "\"h\\u00e9llo \\u2603\"", "\"a\\\"b\"", "\"x\"", "\"yz\"");
      case FP16, BF16 -> throw new IllegalArgumentException("no JSON form for " + type);
    };
  }

  /** The expected little-endian bytes of {@link #literals}. */
  static ByteBuffer bytes(Datatype type) {
    return bytes(type, literals(type));
  }

  static ByteBuffer bytes(Datatype type, List<String> literals) {
    ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
    for (String s : literals) {
      switch (type) {
        case BOOL -> b.put((byte) (Boolean.parseBoolean(s) ? 1 : 0));
        case UINT8, INT8 -> b.put((byte) Integer.parseInt(s));
        case UINT16, INT16 -> b.putShort((short) Integer.parseInt(s));
        case UINT32, INT32 -> b.putInt((int) Long.parseLong(s));
        case INT64 -> b.putLong(Long.parseLong(s));
        case UINT64 -> b.putLong(Long.parseUnsignedLong(s));
        case FP32 -> b.putFloat(Float.parseFloat(s));
        case FP64 -> b.putDouble(Double.parseDouble(s));
        case BYTES -> {
          byte[] utf8 = unquote(s).getBytes(StandardCharsets.UTF_8);
          b.putInt(utf8.length).put(utf8);
        }
        case FP16, BF16 -> throw new IllegalArgumentException();
      }
    }
    return b.flip().slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  private static String unquote(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, String.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  /** Arbitrary FP16/BF16 bit patterns (the codec never interprets them). */
  static ByteBuffer halfBytes() {
    ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    for (short s : new short[] {0x3C00, (short) 0xBC00, 0x7BFF, 0x0001, 0x0000, 0x3555}) {
      b.putShort(s);
    }
    return b.flip();
  }

  static ByteBuffer bytesFor(Datatype type) {
    return type == Datatype.FP16 || type == Datatype.BF16 ? halfBytes() : bytes(type);
  }

  static String flatJson(Datatype type) {
    return "[" + String.join(",", literals(type)) + "]";
  }

  static String nestedJson(Datatype type) {
    List<String> l = literals(type);
    return "[["
        + String.join(",", l.subList(0, 3))
        + "],["
        + String.join(",", l.subList(3, 6))
        + "]]";
  }

  static byte[] toArray(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
