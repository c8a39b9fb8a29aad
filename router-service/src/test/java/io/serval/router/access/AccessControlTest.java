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
import io.serval.proto.inference.ModelMetadataRequest;
import io.serval.proto.inference.ModelReadyRequest;
import io.serval.proto.inference.ModelStatisticsRequest;
import io.serval.proto.inference.ServerLiveRequest;
import io.serval.proto.inference.ServerMetadataRequest;
import io.serval.proto.inference.ServerReadyRequest;
import io.serval.router.fakes.FakePredictorsResource;
import io.serval.router.testing.RawHttp;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
  void theStatsEndpointNeedsAKey() {
    given().get("/v1/stats").then().statusCode(401);
    given().header("X-Api-Key", "secret-1").get("/v1/stats").then().statusCode(200);
  }

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
  void asyncRequestsAndTheirResultsNeedAKey() {
    given()
        .contentType("application/json")
        .header("Prefer", "respond-async")
        .body(BODY)
        .post("/v2/models/echo/infer")
        .then()
        .statusCode(401);
    String location =
        given()
            .contentType("application/json")
            .header("Prefer", "respond-async")
            .header("X-Api-Key", "secret-1")
            .body(BODY)
            .post("/v2/models/echo/infer")
            .then()
            .statusCode(202)
            .extract()
            .header("Location");
    given().get(location).then().statusCode(401);
    given().header("Authorization", "Bearer wrong").get(location).then().statusCode(401);
    given().delete(location).then().statusCode(401);
    given().header("X-Api-Key", "secret-2").get(location).then().statusCode(200);
    // Finished before another test counts the fake predictor's calls.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .until(
            () ->
                "succeeded"
                    .equals(
                        given()
                            .header("X-Api-Key", "secret-1")
                            .get(location)
                            .header("Serval-Async-Status")));
  }

  @Test
  void batchJobsAndTheirResultsNeedAKey() {
    byte[] items = (BODY + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    given()
        .contentType("application/x-ndjson")
        .body(items)
        .post("/v1/jobs?api=echo")
        .then()
        .statusCode(401);
    String location =
        given()
            .contentType("application/x-ndjson")
            .header("X-Api-Key", "secret-1")
            .body(items)
            .post("/v1/jobs?api=echo")
            .then()
            .statusCode(201)
            .extract()
            .header("Location");
    for (String path : List.of("/v1/jobs", location, location + "/results", location + "/logs")) {
      given().get(path).then().statusCode(401);
      given().header("Authorization", "Bearer wrong").get(path).then().statusCode(401);
    }
    given().delete(location).then().statusCode(401);
    given().header("X-Api-Key", "secret-2").get(location).then().statusCode(200);
    // Finished before another test counts the fake predictor's calls.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .until(
            () ->
                "succeeded"
                    .equals(
                        given()
                            .header("X-Api-Key", "secret-1")
                            .get(location)
                            .jsonPath()
                            .getString("status")));
  }

  private static int port() {
    return io.restassured.RestAssured.port;
  }

  private static final Map<String, String> KEY = Map.of("Authorization", "Bearer secret-1");

  /**
   * Spellings that Vert.x or JAX-RS would route to the model after normalising: each is refused
   * without a key and with one, and none reaches a predictor.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v2/%6Dodels/echo/infer",
        "/v2/models/%65cho/infer",
        "/v2//models/echo/infer",
        "//v2/models/echo/infer",
        "/v2/x/../models/echo/infer",
        "/v2/./models/echo/infer",
        "/v2/%2e%2e/v2/models/echo/infer",
        "/v2/models;a=b/echo/infer",
        "/v2/models/echo;a=b/infer",
        "/v2/models/echo/infer;a=b",
        "/v2/models/echo%2Finfer"
      })
  void noSpellingOfAModelPathGetsThroughWithoutAKey(String path) throws IOException {
    int before = FakePredictorsResource.echoA.calls();
    RawHttp.Reply anonymous = RawHttp.send(port(), "POST", path, Map.of(), BODY);
    assertThat(anonymous.status()).as(anonymous.text()).isIn(400, 401);
    RawHttp.Reply keyed = RawHttp.send(port(), "POST", path, KEY, BODY);
    assertThat(keyed.status()).as(keyed.text()).isEqualTo(400);
    assertThat(keyed.text()).contains("not in canonical form");
    assertThat(FakePredictorsResource.echoA.calls()).isEqualTo(before);
  }

  /** Canonical spellings the router serves or answers for: a key is needed for every one. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "POST /v2/models/echo/infer",
        "POST /v2/models/echo/versions/1/infer",
        "POST /v2/models/echo/infer/",
        "POST /V2/models/echo/infer",
        "POST /v2/MODELS/echo/infer",
        "POST /v2/models/ECHO/infer",
        "POST http://localhost/v2/models/echo/infer",
        "GET /v2/models/echo",
        "GET /v2/models/echo/ready",
        "GET /v2/models/echo/versions/1",
        "GET /v2",
        "GET /v2/health/live/",
        "GET /V2/health/live",
        "GET /nothing-here"
      })
  void everyPathButTheOpenOnesNeedsAKey(String request) throws IOException {
    String method = request.substring(0, request.indexOf(' '));
    String target = request.substring(request.indexOf(' ') + 1);
    String body = method.equals("POST") ? BODY : null;
    int before = FakePredictorsResource.echoA.calls();
    RawHttp.Reply anonymous = RawHttp.send(port(), method, target, Map.of(), body);
    assertThat(anonymous.status()).as(anonymous.text()).isEqualTo(401);
    assertThat(anonymous.text())
        .contains("WWW-Authenticate: Bearer", "a valid API key is required");
    RawHttp.Reply wrong =
        RawHttp.send(port(), method, target, Map.of("X-Api-Key", "secret-3"), body);
    assertThat(wrong.status()).as(wrong.text()).isEqualTo(401);
    assertThat(FakePredictorsResource.echoA.calls()).isEqualTo(before);
    RawHttp.Reply keyed = RawHttp.send(port(), method, target, KEY, body);
    assertThat(keyed.status()).as(keyed.text()).isNotIn(401, 403);
  }

  @Test
  void theVersionedPathServesWithAKey() throws IOException {
    RawHttp.Reply keyed =
        RawHttp.send(port(), "POST", "/v2/models/echo/versions/1/infer", KEY, BODY);
    assertThat(keyed.status()).as(keyed.text()).isEqualTo(200);
  }

  @Test
  void healthAndMetricsStayOpenButOnlyAsSpelledExactly() throws IOException {
    for (String open :
        List.of("/v2/health/live", "/v2/health/ready", "/ready", "/q/health/live", "/q/metrics")) {
      assertThat(RawHttp.send(port(), "GET", open, Map.of(), null).status())
          .as(open)
          .isEqualTo(200);
    }
    assertThat(RawHttp.send(port(), "GET", "/v2/health/%6Cive", Map.of(), null).status())
        .isEqualTo(400);
    assertThat(RawHttp.send(port(), "GET", "/v2/health/live?x=1", Map.of(), null).status())
        .isEqualTo(200);
  }

  /** Every RPC but the two health checks needs a key; without one nothing reaches a replica. */
  @Test
  void everyGrpcCallButHealthNeedsAKey() {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", FakePredictorsResource.grpcPort)
            .usePlaintext()
            .build();
    try {
      var anonymous =
          GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
      Metadata key = new Metadata();
      key.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), "secret-2");
      var keyed = anonymous.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key));
      int before = FakePredictorsResource.echoA.calls();
      List<Function<GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub, Object>> calls =
          List.of(
              s -> s.modelInfer(inferRequest("echo")),
              s -> s.modelInfer(inferRequest("ECHO")),
              s -> s.modelReady(ModelReadyRequest.newBuilder().setName("echo").build()),
              s -> s.modelMetadata(ModelMetadataRequest.newBuilder().setName("echo").build()),
              s -> s.serverMetadata(ServerMetadataRequest.getDefaultInstance()),
              s -> s.modelStatistics(ModelStatisticsRequest.getDefaultInstance()));
      for (var call : calls) {
        assertThatThrownBy(() -> call.apply(anonymous))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
      }
      assertThat(FakePredictorsResource.echoA.calls()).isEqualTo(before);
      assertThat(anonymous.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
      assertThat(anonymous.serverReady(ServerReadyRequest.getDefaultInstance()).getReady())
          .isTrue();
      assertThat(
              keyed.modelReady(ModelReadyRequest.newBuilder().setName("echo").build()).getReady())
          .isTrue();
      var metadata = keyed.serverMetadata(ServerMetadataRequest.getDefaultInstance());
      assertThat(metadata.getName()).isEqualTo("serval-router");
      // the build's version, as GET /v2 reports it (it was a fixed "0.1.0")
      assertThat(metadata.getVersion())
          .isEqualTo(
              org.eclipse.microprofile.config.ConfigProvider.getConfig()
                  .getValue("quarkus.application.version", String.class));
      assertThat(metadata.getExtensionsList()).containsExactly("binary_tensor_data");
      assertThat(
              keyed
                  .modelStatistics(ModelStatisticsRequest.newBuilder().setName("echo").build())
                  .getModelStats(0)
                  .getName())
          .isEqualTo("echo");
    } finally {
      channel.shutdownNow();
    }
  }

  private static ModelInferRequest inferRequest(String model) {
    return ModelInferRequest.newBuilder()
        .setModelName(model)
        .addInputs(
            ModelInferRequest.InferInputTensor.newBuilder()
                .setName("x")
                .setDatatype("FP32")
                .addShape(1))
        .addRawInputContents(com.google.protobuf.ByteString.copyFrom(new byte[4]))
        .build();
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
