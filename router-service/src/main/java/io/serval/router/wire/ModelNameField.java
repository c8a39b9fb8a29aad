package io.serval.router.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads and replaces field 1 ({@code model_name}) of a serialized ModelInferRequest or
 * ModelInferResponse without decoding the rest: the router forwards tensors as the bytes it
 * received. Only top-level fields are walked; length-delimited fields (the tensors) are skipped in
 * O(1).
 */
public final class ModelNameField {
  private ModelNameField() {}

  private static final int FIELD = 1;
  private static final int WIRE_VARINT = 0;
  private static final int WIRE_FIXED64 = 1;
  private static final int WIRE_LEN = 2;
  private static final int WIRE_FIXED32 = 5;

  /** A read position; one per call, so the walk is thread-safe. */
  private static final class Cursor {
    final byte[] b;
    int pos;

    Cursor(byte[] b) {
      this.b = b;
    }

    boolean more() {
      return pos < b.length;
    }

    long varint() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= b.length) {
          throw new IllegalArgumentException("truncated varint at byte " + pos);
        }
        byte x = b[pos++];
        result |= (long) (x & 0x7F) << shift;
        if (x >= 0) {
          return result;
        }
      }
      throw new IllegalArgumentException("malformed varint ending at byte " + pos);
    }

    int length() {
      long n = varint();
      if (n < 0 || n > b.length - pos) {
        throw new IllegalArgumentException(
            "length-delimited field at byte " + pos + " claims " + n + " bytes past the end");
      }
      return (int) n;
    }

    void skip(int wire) {
      switch (wire) {
        case WIRE_VARINT -> varint();
        case WIRE_FIXED64 -> advance(8);
        case WIRE_LEN -> advance(length());
        case WIRE_FIXED32 -> advance(4);
        default ->
            throw new IllegalArgumentException("unsupported wire type " + wire + " at byte " + pos);
      }
    }

    private void advance(int n) {
      if (n > b.length - pos) {
        throw new IllegalArgumentException("truncated field at byte " + pos);
      }
      pos += n;
    }
  }

  /**
   * @return the model name (the last field 1, as protobuf merges), or "" when absent
   * @throws IllegalArgumentException when the bytes are not a well-formed message, or the name is
   *     not UTF-8 (protobuf refuses such a string field)
   */
  public static String read(byte[] msg) {
    Cursor c = new Cursor(msg);
    int start = -1;
    int len = 0;
    while (c.more()) {
      long tag = c.varint();
      int wire = (int) (tag & 7);
      if ((tag >>> 3) == 0) {
        // protobuf refuses field number 0 too; the predictor would, after a trip there.
        throw new IllegalArgumentException("invalid tag (field number 0) at byte " + (c.pos - 1));
      }
      if (isName(tag)) {
        len = c.length();
        start = c.pos;
        c.pos += len;
      } else {
        c.skip(wire);
      }
    }
    return start < 0 ? "" : utf8(msg, start, len);
  }

  private static String utf8(byte[] msg, int start, int len) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(msg, start, len))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("model_name is not valid UTF-8");
    }
  }

  /** Returns the message with field 1 set to {@code name} and any other string field 1 removed. */
  public static byte[] replace(byte[] msg, String name) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    int headerLen = 1 + varintSize(nameBytes.length) + nameBytes.length;
    // Serializers write field 1 first, so usually one span is cut at the front.
    int cutStart = -1;
    int cutEnd = -1;
    boolean several = false;
    Cursor c = new Cursor(msg);
    while (c.more()) {
      int fieldStart = c.pos;
      long tag = c.varint();
      c.skip((int) (tag & 7));
      if (isName(tag)) {
        if (cutStart < 0) {
          cutStart = fieldStart;
          cutEnd = c.pos;
        } else {
          several = true;
        }
      }
    }
    if (several) {
      return replaceAll(msg, nameBytes, headerLen);
    }
    int cut = cutStart < 0 ? 0 : cutEnd - cutStart;
    byte[] out = new byte[headerLen + msg.length - cut];
    int o = writeHeader(out, nameBytes);
    if (cutStart < 0) {
      System.arraycopy(msg, 0, out, o, msg.length);
    } else {
      System.arraycopy(msg, 0, out, o, cutStart);
      System.arraycopy(msg, cutEnd, out, o + cutStart, msg.length - cutEnd);
    }
    return out;
  }

  private static byte[] replaceAll(byte[] msg, byte[] nameBytes, int headerLen) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(msg.length + headerLen);
    byte[] header = new byte[headerLen];
    writeHeader(header, nameBytes);
    out.writeBytes(header);
    Cursor c = new Cursor(msg);
    while (c.more()) {
      int fieldStart = c.pos;
      long tag = c.varint();
      c.skip((int) (tag & 7));
      if (!isName(tag)) {
        out.write(msg, fieldStart, c.pos - fieldStart);
      }
    }
    return out.toByteArray();
  }

  /**
   * Field 1 as a string. A field 1 of another wire type is, to protobuf, an unknown field, which it
   * keeps: so do read (skips it) and replace (leaves it in place).
   */
  private static boolean isName(long tag) {
    return (tag >>> 3) == FIELD && (tag & 7) == WIRE_LEN;
  }

  private static int writeHeader(byte[] out, byte[] nameBytes) {
    int o = 0;
    out[o++] = (byte) ((FIELD << 3) | WIRE_LEN);
    int n = nameBytes.length;
    while ((n & ~0x7F) != 0) {
      out[o++] = (byte) ((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    out[o++] = (byte) n;
    System.arraycopy(nameBytes, 0, out, o, nameBytes.length);
    return o + nameBytes.length;
  }

  private static int varintSize(int n) {
    int size = 1;
    while ((n & ~0x7F) != 0) {
      size++;
      n >>>= 7;
    }
    return size;
  }
}
