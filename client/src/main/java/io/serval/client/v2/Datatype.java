package io.serval.client.v2;

import java.util.Locale;

/** The Open Inference Protocol V2 tensor element types, with their size in the binary layout. */
public enum Datatype {
  BOOL(1),
  UINT8(1),
  UINT16(2),
  UINT32(4),
  UINT64(8),
  INT8(1),
  INT16(2),
  INT32(4),
  INT64(8),
  FP16(2),
  FP32(4),
  FP64(8),
  BF16(2),
  /** Length-prefixed byte strings: 4 bytes of little-endian length, then the bytes. */
  BYTES(-1);

  private final int byteSize;

  Datatype(int byteSize) {
    this.byteSize = byteSize;
  }

  /** Bytes per element in the V2 binary layout; -1 for BYTES (variable). */
  public int byteSize() {
    return byteSize;
  }

  /**
   * The datatype named {@code name} (any case).
   *
   * @throws IllegalArgumentException when it is not a V2 datatype
   */
  public static Datatype of(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("not a V2 datatype: " + name);
    }
  }
}
