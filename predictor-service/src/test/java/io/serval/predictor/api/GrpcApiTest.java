package io.serval.predictor.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.InferTensorContents;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import io.serval.proto.inference.ModelMetadataRequest;
import io.serval.proto.inference.ModelMetadataResponse;
import io.serval.proto.inference.ModelReadyRequest;
import io.serval.proto.inference.ServerLiveRequest;
import io.serval.proto.inference.ServerMetadataRequest;
import io.serval.proto.inference.ServerReadyRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(AddModelProfile.class)
class GrpcApiTest {
  @ConfigProperty(name = "quarkus.grpc.server.test-port")
  int grpcPort;

  private ManagedChannel channel;
  private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

  @BeforeEach
  void connect() {
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    stub =
        GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static ModelInferRequest.InferInputTensor.Builder input(
      String name, String datatype, long... shape) {
    var b = ModelInferRequest.InferInputTensor.newBuilder().setName(name).setDatatype(datatype);
    for (long d : shape) {
      b.addShape(d);
    }
    return b;
  }

  private static ByteString fp32(float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return ByteString.copyFrom(b.flip());
  }

  private static float[] floats(ByteString raw) {
    ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[b.remaining() / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getFloat();
    }
    return out;
  }

  private ModelInferRequest rawAdd(String id, float[] a, float[] b) {
    int rows = a.length / AddModelProfile.WIDTH;
    return ModelInferRequest.newBuilder()
        .setModelName("add")
        .setId(id)
        .addInputs(input("a", "FP32", rows, AddModelProfile.WIDTH))
        .addInputs(input("b", "FP32", rows, AddModelProfile.WIDTH))
        .addRawInputContents(fp32(a))
        .addRawInputContents(fp32(b))
        .build();
  }

  private static void assertStatus(Runnable call, Status.Code code, String... fragments) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              for (String f : fragments) {
                assertThat(e.getStatus().getDescription()).contains(f);
              }
            });
  }

  @Test
  void healthAndMetadataCalls() {
    assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("add").build()).getReady())
        .isTrue();
    assertThat(stub.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getExtensionsList())
        .contains("binary_tensor_data");
    ModelMetadataResponse md =
        stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("add").build());
    assertThat(md.getVersionsList()).containsExactly("7");
    assertThat(md.getInputsList())
        .extracting(ModelMetadataResponse.TensorMetadata::getName)
        .containsExactly("a", "b");
    assertThat(md.getOutputs(0).getShapeList()).containsExactly(-1L, 4L);
    assertStatus(
        () -> stub.modelReady(ModelReadyRequest.newBuilder().setName("nope").build()),
        Status.Code.NOT_FOUND,
        "unknown model 'nope'");
    assertStatus(
        () ->
            stub.modelMetadata(
                ModelMetadataRequest.newBuilder().setName("add").setVersion("2").build()),
        Status.Code.NOT_FOUND,
        "no version '2'");
  }

  @Test
  void rawRequestGetsRawAnswerEqualToInProcessOnnxRuntime() throws Exception {
    float[] a = {1, 2, 3, 4, 5.5f, -6, 7e-3f, 8};
    float[] b = {0.5f, 0.25f, -3, 4e8f, 5, 6, 7, 1e-9f};
    float[] expected =
        OrtReference.runFp32(
            AddModelProfile.MODEL, "sum", Map.of("a", a, "b", b), new long[] {2, 4});
    ModelInferResponse resp = stub.modelInfer(rawAdd("g1", a, b));
    assertThat(resp.getModelName()).isEqualTo("add");
    assertThat(resp.getModelVersion()).isEqualTo("7");
    assertThat(resp.getId()).isEqualTo("g1");
    assertThat(resp.getOutputs(0).getName()).isEqualTo("sum");
    assertThat(resp.getOutputs(0).getShapeList()).containsExactly(2L, 4L);
    assertThat(resp.getOutputs(0).hasContents()).isFalse();
    assertThat(floats(resp.getRawOutputContents(0))).containsExactly(expected);
  }

  @Test
  void typedRequestGetsTypedAnswer() throws Exception {
    float[] a = {1, 2, 3, 4};
    float[] b = {10, 20, 30, 40.5f};
    float[] expected =
        OrtReference.runFp32(
            AddModelProfile.MODEL, "sum", Map.of("a", a, "b", b), new long[] {1, 4});
    ModelInferRequest req =
        ModelInferRequest.newBuilder()
            .setModelName("add")
            .addInputs(input("a", "FP32", 1, 4).setContents(typed(a)))
            .addInputs(input("b", "FP32", 1, 4).setContents(typed(b)))
            .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("sum"))
            .build();
    ModelInferResponse resp = stub.modelInfer(req);
    assertThat(resp.getRawOutputContentsCount()).isZero();
    List<Float> got = resp.getOutputs(0).getContents().getFp32ContentsList();
    float[] actual = new float[got.size()];
    for (int i = 0; i < actual.length; i++) {
      actual[i] = got.get(i);
    }
    assertThat(actual).containsExactly(expected);
  }

  private static InferTensorContents typed(float... values) {
    var c = InferTensorContents.newBuilder();
    for (float v : values) {
      c.addFp32Contents(v);
    }
    return c.build();
  }

  @Test
  void badRequestsGetTheMatchingStatus() {
    float[] row = {1, 2, 3, 4};
    assertStatus(
        () -> stub.modelInfer(rawAdd("x", row, row).toBuilder().setModelName("nope").build()),
        Status.Code.NOT_FOUND,
        "unknown model 'nope'");
    assertStatus(
        () ->
            stub.modelInfer(
                ModelInferRequest.newBuilder()
                    .setModelName("add")
                    .addInputs(input("a", "FP32", 1, 4))
                    .addRawInputContents(fp32(row))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "missing input 'b'");
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(
            RestApiTest.metricValue(
                metrics,
                "serval_predictor_requests_total{api=\"add\",code=\"NOT_FOUND\",protocol=\"grpc\",revision=\"7\"}"))
        .as("gRPC failures are counted with their gRPC code")
        .isGreaterThanOrEqualTo(1.0);
    assertThat(
            RestApiTest.metricValue(
                metrics,
                "serval_predictor_requests_total{api=\"add\",code=\"INVALID_ARGUMENT\",protocol=\"grpc\",revision=\"7\"}"))
        .isGreaterThanOrEqualTo(1.0);
    assertStatus(
        () ->
            stub.modelInfer(
                rawAdd("x", row, row).toBuilder()
                    .addInputs(input("c", "FP32", 1, 4))
                    .addRawInputContents(fp32(row))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "unknown input 'c'");
    assertStatus(
        () ->
            stub.modelInfer(
                ModelInferRequest.newBuilder()
                    .setModelName("add")
                    .addInputs(input("a", "FP32", 1, 4))
                    .addInputs(input("b", "FP64", 1, 2))
                    .addRawInputContents(fp32(row))
                    .addRawInputContents(fp32(row))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "input 'b'",
        "FP64",
        "expects FP32");
    assertStatus(
        () ->
            stub.modelInfer(
                ModelInferRequest.newBuilder()
                    .setModelName("add")
                    .addInputs(input("a", "FP32", 1, 4))
                    .addInputs(input("b", "FP32", 2, 2))
                    .addRawInputContents(fp32(row))
                    .addRawInputContents(fp32(row))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "input 'b'",
        "dimension 1 must be 4");
    assertStatus(
        () ->
            stub.modelInfer(
                rawAdd("x", row, row).toBuilder()
                    .addOutputs(
                        ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("diff"))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "unknown requested output 'diff'");
    assertStatus(
        () ->
            stub.modelInfer(
                ModelInferRequest.newBuilder()
                    .setModelName("add")
                    .addInputs(input("a", "FP32", 1, 4))
                    .addInputs(input("b", "FP32", 1, 4))
                    .addRawInputContents(fp32(row))
                    .addRawInputContents(fp32(1, 2))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "'b'");
    float[] big = new float[20_000 * 4];
    assertStatus(() -> stub.modelInfer(rawAdd("x", big, big)), Status.Code.RESOURCE_EXHAUSTED);
    // The server is still fine afterwards.
    assertThat(stub.modelInfer(rawAdd("after", row, row)).getId()).isEqualTo("after");
  }

  @Test
  void concurrentCallersAreBatchedAndEachGetsItsOwnAnswer() throws Exception {
    var future = GRPCInferenceServiceGrpc.newFutureStub(channel);
    int callers = 64;
    List<com.google.common.util.concurrent.ListenableFuture<ModelInferResponse>> calls =
        new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      float[] a = {i, i + 1, i + 2, i + 3};
      float[] b = {1000, 2000, 3000, 4000};
      calls.add(future.withDeadlineAfter(30, TimeUnit.SECONDS).modelInfer(rawAdd("c" + i, a, b)));
    }
    for (int i = 0; i < callers; i++) {
      ModelInferResponse r = calls.get(i).get(30, TimeUnit.SECONDS);
      assertThat(r.getId()).isEqualTo("c" + i);
      assertThat(r.getOutputs(0).getShapeList()).containsExactly(1L, 4L);
      assertThat(floats(r.getRawOutputContents(0)))
          .containsExactly(i + 1000f, i + 2001f, i + 3002f, i + 4003f);
    }
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher max =
        Pattern.compile("serval_predictor_batch_size_max\\{api=\"add\",revision=\"7\"} ([0-9.]+)")
            .matcher(metrics);
    assertThat(max.find()).as("batch size metric present").isTrue();
    assertThat(Double.parseDouble(max.group(1))).as("largest batch").isGreaterThan(1.0);
  }
}
