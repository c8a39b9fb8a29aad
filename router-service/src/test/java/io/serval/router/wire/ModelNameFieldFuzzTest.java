package io.serval.router.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.serval.proto.inference.ModelInferRequest;

/**
 * Coverage-guided fuzzing of the router's gRPC pass-through: the model_name reader and rewriter
 * over any bytes a client sends. The only exception allowed out is IllegalArgumentException (the
 * router answers it INVALID_ARGUMENT); where protobuf parses the message too, both must read the
 * same name, and the rewritten message must carry the new name.
 */
class ModelNameFieldFuzzTest {

  @FuzzTest(maxDuration = "15s")
  void readsAndRewritesTheNameAsProtobufWouldOrRefuses(byte[] message) {
    String name;
    try {
      name = ModelNameField.read(message);
    } catch (IllegalArgumentException refused) {
      return;
    }
    ModelInferRequest parsed = parse(message);
    if (parsed != null && !parsed.getModelName().equals(name)) {
      throw new AssertionError(
          "the router read '" + name + "' but protobuf reads '" + parsed.getModelName() + "'");
    }
    byte[] renamed = ModelNameField.replace(message, "renamed");
    if (!ModelNameField.read(renamed).equals("renamed")) {
      throw new AssertionError("the rewritten message does not carry the new name");
    }
    ModelInferRequest reparsed = parse(renamed);
    if (parsed != null
        && (reparsed == null
            || !reparsed.equals(parsed.toBuilder().setModelName("renamed").build()))) {
      throw new AssertionError("rewriting the name changed more than the name");
    }
  }

  private static ModelInferRequest parse(byte[] message) {
    try {
      return ModelInferRequest.parseFrom(message);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }
}
