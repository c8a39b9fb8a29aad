package io.serval.predictor.model;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import io.serval.v2.Datatype;

/** ONNX element types and their V2 names. */
public final class OnnxTypes {
  private OnnxTypes() {}

  /**
   * @return the V2 datatype, or null when V2 has none (complex, float8)
   */
  public static Datatype toV2(OnnxTensorType t) {
    return switch (t) {
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> Datatype.BOOL;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> Datatype.UINT8;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> Datatype.UINT16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> Datatype.UINT32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> Datatype.UINT64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> Datatype.INT8;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> Datatype.INT16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> Datatype.INT32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> Datatype.INT64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> Datatype.FP16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> Datatype.BF16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> Datatype.FP32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> Datatype.FP64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> Datatype.BYTES;
      default -> null;
    };
  }

  /**
   * The Java type ONNX Runtime's {@code createTensor(env, ByteBuffer, shape, type)} takes for a V2
   * datatype; null for the types that have none (unsigned 16/32/64-bit and BYTES).
   */
  public static OnnxJavaType javaType(Datatype d) {
    return switch (d) {
      case BOOL -> OnnxJavaType.BOOL;
      case UINT8 -> OnnxJavaType.UINT8;
      case INT8 -> OnnxJavaType.INT8;
      case INT16 -> OnnxJavaType.INT16;
      case INT32 -> OnnxJavaType.INT32;
      case INT64 -> OnnxJavaType.INT64;
      case FP16 -> OnnxJavaType.FLOAT16;
      case BF16 -> OnnxJavaType.BFLOAT16;
      case FP32 -> OnnxJavaType.FLOAT;
      case FP64 -> OnnxJavaType.DOUBLE;
      case UINT16, UINT32, UINT64, BYTES -> null;
    };
  }

  /** The ONNX element type of the unsigned types the Java API cannot name. */
  public static OnnxTensorType unsignedOnnxType(Datatype d) {
    return switch (d) {
      case UINT16 -> OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16;
      case UINT32 -> OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32;
      case UINT64 -> OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64;
      default -> throw new IllegalArgumentException(d + " is not an unsigned wide type");
    };
  }
}
