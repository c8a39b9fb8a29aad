package io.serval.v2;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.serval.proto.inference.InferTensorContents;
import io.serval.proto.inference.ModelInferResponse;
import io.serval.proto.inference.ModelInferResponse.InferOutputTensor;
import java.nio.ByteBuffer;
import java.util.List;

/** Builds a gRPC {@link ModelInferResponse} from output tensors. */
public final class InferResponseWriter {
  private InferResponseWriter() {}

  /**
   * @param modelVersion null or empty leaves model_version unset; same for id
   * @param raw true puts the data in raw_output_contents; false uses the typed contents fields,
   *     unless an output is FP16 or BF16 (no typed field), in which case every output goes raw
   *     because the protocol does not allow mixing the two forms
   */
  public static ModelInferResponse build(
      String modelName, String modelVersion, String id, List<RawTensor> outputs, boolean raw) {
    ModelInferResponse.Builder resp = ModelInferResponse.newBuilder();
    if (modelName != null) {
      resp.setModelName(modelName);
    }
    if (modelVersion != null) {
      resp.setModelVersion(modelVersion);
    }
    if (id != null) {
      resp.setId(id);
    }
    boolean allRaw = raw || outputs.stream().anyMatch(t -> !hasTypedField(t.datatype()));
    for (RawTensor t : outputs) {
      InferOutputTensor.Builder o =
          resp.addOutputsBuilder().setName(t.name()).setDatatype(t.datatype().name());
      for (long d : t.shape()) {
        o.addShape(d);
      }
      if (allRaw) {
        resp.addRawOutputContents(toByteString(t.data()));
      } else {
        InferTensorContents.Builder c = o.getContentsBuilder();
        TypedContents.fromRaw(t.datatype(), t.data(), c);
      }
    }
    return resp.build();
  }

  private static boolean hasTypedField(Datatype type) {
    return TypedContents.fieldOf(type) >= 0;
  }

  /**
   * A writable heap buffer is wrapped without copying: a RawTensor's bytes are handed over and
   * never changed afterwards. Direct buffers may be freed by their owner (e.g. a closed ONNX
   * Runtime tensor) and read-only buffers may be views of bytes someone else still changes, so
   * those are copied once.
   */
  static ByteString toByteString(ByteBuffer data) {
    if (data.hasArray()) {
      return UnsafeByteOperations.unsafeWrap(
          data.array(), data.arrayOffset() + data.position(), data.remaining());
    }
    return ByteString.copyFrom(data.duplicate());
  }
}
