package io.serval.predictor.inference;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.serval.predictor.model.ModelSignature;
import io.serval.predictor.model.TensorSpec;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.v2.Datatype;
import io.serval.v2.InferRequestReader;
import io.serval.v2.RawTensor;
import io.serval.v2.V2Exception;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the predictor's gRPC request path up to the model call: parse the
 * bytes as a ModelInferRequest (a parse failure is answered INVALID_ARGUMENT by
 * MalformedRequestGuard), read its tensors, check them against a model's signature and decode its
 * strings. The only exception allowed out is a V2Exception with a 4xx status.
 */
class RequestPreparationFuzzTest {
  /** MiniLM's signature: three INT64 [-1,-1] inputs. */
  private static final ModelSignature MINILM =
      new ModelSignature(
          List.of(
              new TensorSpec("input_ids", Datatype.INT64, new long[] {-1, -1}),
              new TensorSpec("attention_mask", Datatype.INT64, new long[] {-1, -1}),
              new TensorSpec("token_type_ids", Datatype.INT64, new long[] {-1, -1})),
          List.of(new TensorSpec("last_hidden_state", Datatype.FP32, new long[] {-1, -1, 384})));

  /** A model with a fixed dimension, strings and no batch dimension on one output. */
  private static final ModelSignature MIXED =
      new ModelSignature(
          List.of(
              new TensorSpec("x", Datatype.FP32, new long[] {-1, 4}),
              new TensorSpec("s", Datatype.BYTES, new long[] {-1})),
          List.of(
              new TensorSpec("y", Datatype.FP32, new long[] {-1, 2}),
              new TensorSpec("z", Datatype.BYTES, new long[] {3})));

  private static final List<RequestPreparer> PREPARERS =
      List.of(
          new RequestPreparer("minilm", MINILM, 1),
          new RequestPreparer("minilm", MINILM, 8),
          new RequestPreparer("mixed", MIXED, 1),
          new RequestPreparer("mixed", MIXED, 8));

  @FuzzTest(maxDuration = "15s")
  void preparesOrRefusesWithA4xx(byte[] message) {
    ModelInferRequest request;
    try {
      request = ModelInferRequest.parseFrom(message);
    } catch (InvalidProtocolBufferException malformed) {
      return;
    }
    try {
      List<RawTensor> inputs = InferRequestReader.inputs(request);
      List<String> outputs = new ArrayList<>();
      request.getOutputsList().forEach(o -> outputs.add(o.getName()));
      for (RequestPreparer p : PREPARERS) {
        try {
          RequestPreparer.Prepared prepared = p.prepare(inputs, outputs);
          if (prepared.rows() < 0 || prepared.task().rows() < 0) {
            throw new AssertionError("negative row count " + prepared.rows());
          }
          for (RawTensor t : prepared.task().inputs()) {
            if (t.datatype() == Datatype.BYTES) {
              StringTensors.decode(t.data(), (int) t.elementCount(), "input '" + t.name() + "'");
            }
          }
        } catch (V2Exception e) {
          requireClientError(e);
        }
      }
    } catch (V2Exception e) {
      requireClientError(e);
    }
  }

  private static void requireClientError(V2Exception e) {
    if (e.httpStatus() < 400 || e.httpStatus() >= 500) {
      throw new AssertionError("a client's request gave a " + e.httpStatus() + ": " + e, e);
    }
  }
}
