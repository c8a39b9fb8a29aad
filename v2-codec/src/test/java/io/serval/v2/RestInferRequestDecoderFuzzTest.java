package io.serval.v2;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * Coverage-guided fuzzing of the V2 REST request decoder: JSON bodies, the binary tensor extension
 * (a JSON header then raw bytes) and header-less binary bodies, each followed by the gRPC-side
 * reader that the predictor runs on the result. The only exception allowed out is a V2Exception
 * with a 4xx status; anything else (an IndexOutOfBounds, a 500, an OutOfMemoryError) is a finding.
 *
 * <p>The first byte picks the form, so a seed file reads as: {@code J} then a JSON body; {@code B},
 * two bytes of header length (big-endian), the body; {@code H}, a datatype index, a rank, one
 * signed byte per dimension, the body.
 */
class RestInferRequestDecoderFuzzTest {
  private static final Datatype[] TYPES = Datatype.values();

  @FuzzTest(maxDuration = "15s")
  void decodesOrRefusesWithA4xx(byte[] data) {
    if (data.length == 0) {
      return;
    }
    try {
      var request =
          switch (data[0]) {
            case 'B' -> binary(data);
            case 'H' -> headerless(data);
            default ->
                RestInferRequestDecoder.decode(
                    "m", null, Arrays.copyOfRange(data, 1, data.length), OptionalInt.empty());
          };
      if (request != null) {
        InferRequestReader.inputs(request);
      }
    } catch (V2Exception e) {
      if (e.httpStatus() < 400 || e.httpStatus() >= 500) {
        throw new AssertionError("a client's body gave a " + e.httpStatus() + ": " + e, e);
      }
    }
  }

  private static io.serval.proto.inference.ModelInferRequest binary(byte[] data) {
    if (data.length < 3) {
      return null;
    }
    int headerLength = ((data[1] & 0xff) << 8) | (data[2] & 0xff);
    return RestInferRequestDecoder.decode(
        "m", null, Arrays.copyOfRange(data, 3, data.length), OptionalInt.of(headerLength));
  }

  private static io.serval.proto.inference.ModelInferRequest headerless(byte[] data) {
    if (data.length < 3) {
      return null;
    }
    Datatype type = TYPES[(data[1] & 0xff) % TYPES.length];
    int rank = (data[2] & 0xff) % 5;
    if (data.length < 3 + rank) {
      return null;
    }
    long[] shape = new long[rank];
    ByteBuffer dims = ByteBuffer.wrap(data, 3, rank);
    for (int d = 0; d < rank; d++) {
      // Model metadata: -1 for a variable dimension, never another negative.
      shape[d] = Math.max(-1, dims.get());
    }
    byte[] body = Arrays.copyOfRange(data, 3 + rank, data.length);
    return RestInferRequestDecoder.decodeHeaderless("m", null, body, "x", type, shape);
  }
}
