package io.serval.v2;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/** A growable byte array written in little-endian order, without boxing. */
final class LittleEndianSink {
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int MAX = Integer.MAX_VALUE - 16;

  private byte[] buf;
  private int size;

  LittleEndianSink(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  int size() {
    return size;
  }

  /** The backing array; valid bytes are [0, size). */
  byte[] array() {
    return buf;
  }

  private int reserve(int n) {
    int at = size;
    if (buf.length - at < n) {
      long wanted = Math.max((long) at + n, (long) buf.length * 2);
      if ((long) at + n > MAX) {
        throw V2Exception.payloadTooLarge("tensor data exceeds 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) Math.min(wanted, MAX));
    }
    size = at + n;
    return at;
  }

  void putByte(int v) {
    buf[reserve(1)] = (byte) v;
  }

  void putShort(int v) {
    SHORT.set(buf, reserve(2), (short) v);
  }

  void putInt(int v) {
    INT.set(buf, reserve(4), v);
  }

  void putLong(long v) {
    LONG.set(buf, reserve(8), v);
  }

  void putFloat(float v) {
    putInt(Float.floatToRawIntBits(v));
  }

  void putDouble(double v) {
    putLong(Double.doubleToRawLongBits(v));
  }

  void putBytes(byte[] b) {
    System.arraycopy(b, 0, buf, reserve(b.length), b.length);
  }
}
