package io.serval.v2;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Open Inference Protocol V2 tensor element types, with their wire size in bytes. */
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
  BF16(2),
  FP32(4),
  FP64(8),
  BYTES(-1);

  private static final String EXPECTED =
      Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));

  private final int byteSize;

  Datatype(int byteSize) {
    this.byteSize = byteSize;
  }

  /** Bytes per element in the V2 binary layout; -1 for BYTES (length-prefixed, variable). */
  public int byteSize() {
    return byteSize;
  }

  /** True when the element size is fixed (every type but BYTES). */
  public boolean fixedSize() {
    return byteSize > 0;
  }

  /**
   * Parses a V2 datatype name (exact, upper case as the protocol spells it).
   *
   * @param where what the name belongs to, for the error message, e.g. {@code input 'x'}
   * @throws V2Exception INVALID_ARGUMENT naming {@code where} and the accepted names
   */
  public static Datatype parse(String name, String where) {
    if (name == null || name.isEmpty()) {
      throw V2Exception.invalid(where + ": datatype is missing; expected one of " + EXPECTED);
    }
    // A scan of 14 names beats the exception-driven Enum.valueOf for the error path.
    for (Datatype d : VALUES) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    throw V2Exception.invalid(
        where + ": unknown datatype '" + name + "'; expected one of " + EXPECTED);
  }

  private static final Datatype[] VALUES = values();
}
