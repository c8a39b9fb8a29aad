package io.serval.router.batch;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import io.serval.v2.EncodedBody;
import io.serval.v2.RestInferRequestDecoder;
import io.serval.v2.RestInferResponseEncoder;
import io.serval.v2.V2Exception;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * An item's line to the request the dispatcher forwards, and the API's answer to the JSON V2
 * response its result line holds: the same decoding and encoding as {@code POST
 * /v2/models/NAME/infer}. A line that is not a valid request is that item's failure, with the
 * reason (as INVALID_ARGUMENT, so it is never retried). Pure.
 */
final class ItemCodec {
  private ItemCodec() {}

  /**
   * A decoded item: the serialized ModelInferRequest, or why the line is not one.
   *
   * @param request the request, or null
   * @param error the failure, or null
   */
  record Decoded(ModelInferRequest request, String error) {}

  static Decoded decode(String api, LineReader.Line line, int maxLineBytes) {
    if (line.tooLong()) {
      return new Decoded(
          null,
          invalid(
              "the line has "
                  + line.length()
                  + " bytes, more than serval.router.batch.max-line-bytes ("
                  + maxLineBytes
                  + ")"));
    }
    if (line.bytes().length == 0 || new String(line.bytes(), StandardCharsets.UTF_8).isBlank()) {
      return new Decoded(null, invalid("the line is empty; expected a V2 inference request"));
    }
    try {
      return new Decoded(
          RestInferRequestDecoder.decode(api, null, line.bytes(), OptionalInt.empty()), null);
    } catch (V2Exception e) {
      return new Decoded(null, describe(e.grpcStatus()));
    } catch (RuntimeException e) {
      return new Decoded(null, invalid("the line could not be decoded: " + e.getMessage()));
    }
  }

  /**
   * The JSON V2 response for a serialized ModelInferResponse.
   *
   * @throws V2Exception when it cannot be encoded, or only in binary form
   */
  static byte[] encode(byte[] answer, ModelInferRequest request) {
    ModelInferResponse response;
    try {
      response = ModelInferResponse.parseFrom(answer);
    } catch (InvalidProtocolBufferException e) {
      throw V2Exception.internal("the answer could not be read: " + e.getMessage());
    }
    EncodedBody body = RestInferResponseEncoder.encode(response, request);
    if (body.inferenceHeaderContentLength().isPresent()) {
      throw V2Exception.invalid(
          "the item asks for binary outputs (binary_data): a result line holds JSON only");
    }
    return body.body();
  }

  private static String invalid(String message) {
    return Status.Code.INVALID_ARGUMENT + ": " + message;
  }

  /** A failure's reason as the results file gives it: the gRPC code and its description. */
  static String describe(Status status) {
    String d = status.getDescription();
    return status.getCode() + (d == null || d.isEmpty() ? "" : ": " + d);
  }
}
