package io.serval.testmodels;

import java.util.Arrays;
import java.util.Locale;

/** ONNX tensor element types with the Open Inference Protocol V2 datatype name each one maps to. */
public enum OnnxElementType {
  FLOAT(1, "FP32", 4),
  UINT8(2, "UINT8", 1),
  INT8(3, "INT8", 1),
  UINT16(4, "UINT16", 2),
  INT16(5, "INT16", 2),
  INT32(6, "INT32", 4),
  INT64(7, "INT64", 8),
  STRING(8, "BYTES", -1),
  BOOL(9, "BOOL", 1),
  FLOAT16(10, "FP16", 2),
  DOUBLE(11, "FP64", 8),
  UINT32(12, "UINT32", 4),
  UINT64(13, "UINT64", 8);

  private final int code;
  private final String v2Datatype;
  private final int byteSize;

  OnnxElementType(int code, String v2Datatype, int byteSize) {
    this.code = code;
    this.v2Datatype = v2Datatype;
    this.byteSize = byteSize;
  }

  /** The {@code TensorProto.DataType} number written into the model. */
  public int code() {
    return code;
  }

  /** The V2 datatype name, e.g. {@code FP32} or {@code BYTES}. */
  public String v2Datatype() {
    return v2Datatype;
  }

  /** Bytes per element, or -1 for variable-length strings. */
  public int byteSize() {
    return byteSize;
  }

  /**
   * Looks up the ONNX type for a V2 datatype name (case-insensitive).
   *
   * @throws IllegalArgumentException naming the datatype when ONNX has no equivalent
   */
  public static OnnxElementType fromV2(String v2Datatype) {
    String wanted = v2Datatype.toUpperCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(t -> t.v2Datatype.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "V2 datatype '"
                        + v2Datatype
                        + "' has no ONNX equivalent; expected one of "
                        + Arrays.stream(values()).map(OnnxElementType::v2Datatype).toList()));
  }
}
