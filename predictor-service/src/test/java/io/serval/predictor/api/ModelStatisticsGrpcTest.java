package io.serval.predictor.api;

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
import io.serval.proto.inference.InferStatistics;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelStatistics;
import io.serval.proto.inference.ModelStatisticsRequest;
import io.serval.proto.inference.ModelStatisticsResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Triton's ModelStatistics over real gRPC, after requests that succeed and requests that fail. */
@QuarkusTest
@TestProfile(AddModelProfile.class)
class ModelStatisticsGrpcTest {
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

  private static ModelInferRequest add(int rows, int width) {
    ByteBuffer b = ByteBuffer.allocate(rows * width * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < rows * width; i++) {
      b.putFloat(i);
    }
    ByteString data = ByteString.copyFrom(b.flip());
    ModelInferRequest.Builder r = ModelInferRequest.newBuilder().setModelName("add");
    for (String name : new String[] {"a", "b"}) {
      r.addInputs(
              ModelInferRequest.InferInputTensor.newBuilder()
                  .setName(name)
                  .setDatatype("FP32")
                  .addShape(rows)
                  .addShape(width))
          .addRawInputContents(data);
    }
    return r.build();
  }

  private ModelStatistics stats() {
    ModelStatisticsResponse r =
        stub.modelStatistics(ModelStatisticsRequest.newBuilder().setName("add").build());
    assertThat(r.getModelStatsList()).hasSize(1);
    return r.getModelStats(0);
  }

  @Test
  void countsSuccessesFailuresAndDurationsOfRealRequests() {
    // Other tests of this profile share the server: compare before and after.
    ModelStatistics before = stats();
    int ok = 6;
    int failed = 3;
    for (int i = 0; i < ok; i++) {
      stub.modelInfer(add(2, AddModelProfile.WIDTH));
    }
    for (int i = 0; i < failed; i++) {
      // Width 3 against a model of width 4: refused with INVALID_ARGUMENT.
      assertThatThrownBy(() -> stub.modelInfer(add(1, 3)))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
    ModelStatistics after = stats();

    assertThat(after.getName()).isEqualTo("add");
    assertThat(after.getVersion()).isEqualTo("7");
    assertThat(after.getLastInference()).isPositive();
    InferStatistics a = after.getInferenceStats();
    InferStatistics b = before.getInferenceStats();
    assertThat(a.getSuccess().getCount() - b.getSuccess().getCount()).isEqualTo(ok);
    assertThat(a.getFail().getCount() - b.getFail().getCount()).isEqualTo(failed);
    assertThat(after.getInferenceCount() - before.getInferenceCount()).isEqualTo(2L * ok);
    // Sent one at a time, each request is its own execution.
    assertThat(after.getExecutionCount() - before.getExecutionCount()).isEqualTo(ok);
    assertThat(a.getQueue().getCount() - b.getQueue().getCount()).isEqualTo(ok);
    assertThat(a.getComputeInfer().getCount() - b.getComputeInfer().getCount()).isEqualTo(ok);

    long total =
        a.getSuccess().getNs() - b.getSuccess().getNs() + a.getFail().getNs() - b.getFail().getNs();
    long queue = a.getQueue().getNs() - b.getQueue().getNs();
    long compute =
        a.getComputeInput().getNs()
            - b.getComputeInput().getNs()
            + a.getComputeInfer().getNs()
            - b.getComputeInfer().getNs()
            + a.getComputeOutput().getNs()
            - b.getComputeOutput().getNs();
    assertThat(a.getSuccess().getNs() - b.getSuccess().getNs()).isPositive();
    assertThat(a.getComputeInfer().getNs() - b.getComputeInfer().getNs()).isPositive();
    assertThat(queue).isPositive();
    assertThat(queue + compute).isLessThanOrEqualTo(total);
    assertThat(after.getBatchStatsList())
        .anySatisfy(s -> assertThat(s.getBatchSize()).isEqualTo(2));
  }

  @Test
  void emptyNameListsTheServedModelAndAnotherNameIsNotFound() {
    assertThat(
            stub.modelStatistics(ModelStatisticsRequest.getDefaultInstance()).getModelStatsList())
        .extracting(ModelStatistics::getName)
        .containsExactly("add");
    assertThatThrownBy(
            () -> stub.modelStatistics(ModelStatisticsRequest.newBuilder().setName("nope").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }
}
