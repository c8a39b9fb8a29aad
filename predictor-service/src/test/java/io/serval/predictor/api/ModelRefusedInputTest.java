package io.serval.predictor.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.InferTensorContents;
import io.serval.proto.inference.ModelInferRequest;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * An input the model itself refuses (ONNX Runtime's ORT_INVALID_ARGUMENT: here a token id outside
 * MiniLM's 30,522-word vocabulary) is the client's error, with ONNX Runtime's message: 400 over
 * REST, INVALID_ARGUMENT over gRPC.
 */
@QuarkusTest
class ModelRefusedInputTest {
  @ConfigProperty(name = "quarkus.grpc.server.test-port")
  int grpcPort;

  private static final String OUT_OF_VOCABULARY =
      "{\"inputs\":["
          + "{\"name\":\"input_ids\",\"datatype\":\"INT64\",\"shape\":[1,4],\"data\":[101,999999,2088,102]},"
          + "{\"name\":\"attention_mask\",\"datatype\":\"INT64\",\"shape\":[1,4],\"data\":[1,1,1,1]},"
          + "{\"name\":\"token_type_ids\",\"datatype\":\"INT64\",\"shape\":[1,4],\"data\":[0,0,0,0]}]}";

  @Test
  void tokenIdOutsideTheVocabularyIsA400WithOnnxRuntimesMessage() {
    given()
        .contentType("application/json")
        .body(OUT_OF_VOCABULARY)
        .post("/v2/models/minilm/infer")
        .then()
        .statusCode(400)
        .body("error", startsWith("model 'minilm' refused the input: "))
        .body("error", containsString("999999"));
  }

  @Test
  void tokenIdOutsideTheVocabularyIsInvalidArgumentOverGrpc() throws InterruptedException {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    try {
      ModelInferRequest req =
          ModelInferRequest.newBuilder()
              .setModelName("minilm")
              .addInputs(int64("input_ids", 101, 999999, 2088, 102))
              .addInputs(int64("attention_mask", 1, 1, 1, 1))
              .addInputs(int64("token_type_ids", 0, 0, 0, 0))
              .build();
      var stub =
          GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);

      assertThatThrownBy(() -> stub.modelInfer(req))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode())
                    .as("%s", e.getStatus())
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription())
                    .startsWith("model 'minilm' refused the input: ")
                    .contains("999999");
              });
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static ModelInferRequest.InferInputTensor int64(String name, long... values) {
    InferTensorContents.Builder c = InferTensorContents.newBuilder();
    for (long v : values) {
      c.addInt64Contents(v);
    }
    return ModelInferRequest.InferInputTensor.newBuilder()
        .setName(name)
        .setDatatype("INT64")
        .addShape(1)
        .addShape(values.length)
        .setContents(c)
        .build();
  }
}
