package io.serval.router.access;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ServerLiveRequest;
import io.serval.router.fakes.FakePredictorsResource;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(AccessControlTest.KeysAndLoopback.class)
class AccessControlTest {

  public static class KeysAndLoopback implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "serval.router.access.api-keys", "secret-1,secret-2",
          "serval.router.access.allowed-cidrs", "127.0.0.0/8,::1/128");
    }
  }

  private static final String BODY =
      "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [1]}]}";

  @Test
  void restModelEndpointsNeedAKeyButHealthDoesNot() {
    given()
        .contentType("application/json")
        .body(BODY)
        .post("/v2/models/echo/infer")
        .then()
        .statusCode(401);
    given()
        .contentType("application/json")
        .header("Authorization", "Bearer wrong")
        .body(BODY)
        .post("/v2/models/echo/infer")
        .then()
        .statusCode(401);
    given()
        .contentType("application/json")
        .header("X-Api-Key", "secret-2")
        .body(BODY)
        .post("/v2/models/echo/infer")
        .then()
        .statusCode(200)
        .header("serval-revision", "echo/r1");
    given().get("/v2/health/ready").then().statusCode(200);
  }

  @Test
  void grpcModelCallsNeedAKey() {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", FakePredictorsResource.grpcPort)
            .usePlaintext()
            .build();
    try {
      var stub =
          GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
      ModelInferRequest req =
          ModelInferRequest.newBuilder()
              .setModelName("echo")
              .addInputs(
                  ModelInferRequest.InferInputTensor.newBuilder()
                      .setName("x")
                      .setDatatype("FP32")
                      .addShape(1))
              .addRawInputContents(com.google.protobuf.ByteString.copyFrom(new byte[4]))
              .build();
      assertThatThrownBy(() -> stub.modelInfer(req))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
      assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
      Metadata key = new Metadata();
      key.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer secret-1");
      assertThat(
              stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key))
                  .modelInfer(req)
                  .getModelName())
          .isEqualTo("echo");
    } finally {
      channel.shutdownNow();
    }
  }
}
