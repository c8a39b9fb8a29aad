package io.serval.router.grpc;

import static io.serval.router.fakes.FakePredictorsResource.echoA;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.router.fakes.FakePredictorsResource;
import io.serval.router.wire.ByteArrayMarshaller;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests whose bytes are not a valid message are refused by the router itself with
 * INVALID_ARGUMENT, before any predictor is called.
 */
@QuarkusTest
@QuarkusTestResource(FakePredictorsResource.class)
class MalformedGrpcRequestTest {
  static ManagedChannel channel;

  @BeforeAll
  static void connect() {
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", FakePredictorsResource.grpcPort)
            .usePlaintext()
            .build();
  }

  @AfterAll
  static void disconnect() {
    channel.shutdownNow();
  }

  static MethodDescriptor<byte[], byte[]> asBytes(MethodDescriptor<?, ?> method) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(method.getFullMethodName())
        .setRequestMarshaller(ByteArrayMarshaller.INSTANCE)
        .setResponseMarshaller(ByteArrayMarshaller.INSTANCE)
        .build();
  }

  static StatusRuntimeException refusal(MethodDescriptor<?, ?> method, byte[] request) {
    try {
      ClientCalls.blockingUnaryCall(
          channel,
          asBytes(method),
          CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
          request);
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void aModelNameThatIsNotUtf8IsRefusedWithoutCallingAPredictor() {
    echoA.reset();
    StatusRuntimeException e =
        refusal(
            GRPCInferenceServiceGrpc.getModelInferMethod(),
            new byte[] {0x0a, 0x04, 'e', 'c', (byte) 0xff, 'o'});

    assertThat(e.getStatus().getCode())
        .as("%s", e.getStatus())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("ModelInferRequest is malformed: model_name is not valid UTF-8");
    assertThat(echoA.calls()).isZero();
  }

  @Test
  void aTruncatedOrBadlyTaggedModelInferRequestIsInvalidArgument() {
    for (byte[] bad : new byte[][] {{0x0a, 0x05, 'e'}, {0x00, 0x01}, {0x0c}}) {
      StatusRuntimeException e = refusal(GRPCInferenceServiceGrpc.getModelInferMethod(), bad);
      assertThat(e.getStatus().getCode())
          .as("%s", e.getStatus())
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).startsWith("ModelInferRequest is malformed: ");
    }
  }

  @Test
  void malformedRequestsToTheRoutersOwnMethodsAreInvalidArgument() {
    StatusRuntimeException e =
        refusal(GRPCInferenceServiceGrpc.getModelReadyMethod(), new byte[] {0x0a, 0x09, 'e'});

    assertThat(e.getStatus().getCode())
        .as("%s", e.getStatus())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).startsWith("ModelReadyRequest is malformed: ");
  }
}
