package io.serval.client.grpc;

import com.google.protobuf.ByteString;
import io.serval.client.v2.Datatype;
import io.serval.client.v2.InferRequest;
import io.serval.client.v2.InferResult;
import io.serval.client.v2.Tensor;
import io.serval.proto.inference.InferTensorContents;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tensors to and from the V2 gRPC messages. Inputs go as raw contents (the V2 binary layout, no
 * per-element encoding); outputs are read from raw contents or from the typed contents fields,
 * whichever the server used.
 */
final class GrpcTensors {

  private GrpcTensors() {}

  static ModelInferRequest request(String model, InferRequest request) {
    ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName(model);
    if (!request.id().isEmpty()) {
      b.setId(request.id());
    }
    for (Tensor t : request.inputs()) {
      ModelInferRequest.InferInputTensor.Builder in =
          b.addInputsBuilder().setName(t.name()).setDatatype(t.datatype().name());
      for (long d : t.shape()) {
        in.addShape(d);
      }
      b.addRawInputContents(ByteString.copyFrom(t.rawBuffer()));
    }
    for (String name : request.outputs()) {
      b.addOutputsBuilder().setName(name);
    }
    return b.build();
  }

  /**
   * @throws IllegalArgumentException when the answer is inconsistent
   */
  static InferResult result(ModelInferResponse r, Optional<String> revision) {
    int raw = r.getRawOutputContentsCount();
    if (raw != 0 && raw != r.getOutputsCount()) {
      throw new IllegalArgumentException(
          "the answer has " + raw + " raw contents for " + r.getOutputsCount() + " outputs");
    }
    List<Tensor> outputs = new ArrayList<>();
    for (int i = 0; i < r.getOutputsCount(); i++) {
      ModelInferResponse.InferOutputTensor o = r.getOutputs(i);
      Datatype type = Datatype.of(o.getDatatype());
      long[] shape = o.getShapeList().stream().mapToLong(Long::longValue).toArray();
      byte[] data =
          raw > 0 ? r.getRawOutputContents(i).toByteArray() : typed(type, o.getContents());
      outputs.add(Tensor.raw(o.getName(), type, shape, data));
    }
    return new InferResult(r.getModelName(), r.getModelVersion(), r.getId(), outputs, revision, 1);
  }

  private static byte[] typed(Datatype type, InferTensorContents c) {
    ByteBuffer b;
    switch (type) {
      case BOOL -> {
        b = buffer(c.getBoolContentsCount());
        c.getBoolContentsList().forEach(v -> b.put((byte) (v ? 1 : 0)));
      }
      case INT8 -> {
        b = buffer(c.getIntContentsCount());
        c.getIntContentsList().forEach(v -> b.put(v.byteValue()));
      }
      case INT16 -> {
        b = buffer(c.getIntContentsCount() * 2);
        c.getIntContentsList().forEach(v -> b.putShort(v.shortValue()));
      }
      case INT32 -> {
        b = buffer(c.getIntContentsCount() * 4);
        c.getIntContentsList().forEach(b::putInt);
      }
      case INT64 -> {
        b = buffer(c.getInt64ContentsCount() * 8);
        c.getInt64ContentsList().forEach(b::putLong);
      }
      case UINT8 -> {
        b = buffer(c.getUintContentsCount());
        c.getUintContentsList().forEach(v -> b.put(v.byteValue()));
      }
      case UINT16 -> {
        b = buffer(c.getUintContentsCount() * 2);
        c.getUintContentsList().forEach(v -> b.putShort(v.shortValue()));
      }
      case UINT32 -> {
        b = buffer(c.getUintContentsCount() * 4);
        c.getUintContentsList().forEach(b::putInt);
      }
      case UINT64 -> {
        b = buffer(c.getUint64ContentsCount() * 8);
        c.getUint64ContentsList().forEach(b::putLong);
      }
      case FP32 -> {
        b = buffer(c.getFp32ContentsCount() * 4);
        c.getFp32ContentsList().forEach(b::putFloat);
      }
      case FP64 -> {
        b = buffer(c.getFp64ContentsCount() * 8);
        c.getFp64ContentsList().forEach(b::putDouble);
      }
      case BYTES -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer len = buffer(4);
        for (ByteString s : c.getBytesContentsList()) {
          out.writeBytes(len.clear().putInt(s.size()).array());
          out.writeBytes(s.toByteArray());
        }
        return out.toByteArray();
      }
      default ->
          throw new IllegalArgumentException(type + " output without raw contents in the answer");
    }
    return b.array();
  }

  private static ByteBuffer buffer(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
