package io.serval.predictor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.quarkus.test.junit.QuarkusTest;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.ServerLiveRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests whose bytes are not a valid message are the client's error: INVALID_ARGUMENT naming the
 * problem, and no stack trace in the predictor's log for each one.
 */
@QuarkusTest
class MalformedGrpcRequestTest {
  @ConfigProperty(name = "quarkus.grpc.server.test-port")
  int grpcPort;

  private ManagedChannel channel;
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          if (r.getLevel().intValue() > Level.FINE.intValue()) {
            logged.add(r);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void connect() {
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    Logger.getLogger("").addHandler(capture);
  }

  @AfterEach
  void close() throws InterruptedException {
    Logger.getLogger("").removeHandler(capture);
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** The raw bytes of a message, sent as they are. */
  static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  static MethodDescriptor<byte[], byte[]> asBytes(MethodDescriptor<?, ?> method) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(method.getFullMethodName())
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }

  static List<byte[]> malformed() {
    return List.of(
        // field number 0: "invalid tag (zero)"
        new byte[] {0x00, 0x01},
        // model_name says 5 bytes, 1 follows: truncated
        new byte[] {0x0a, 0x05, 'm'},
        // model_name is not UTF-8
        new byte[] {0x0a, 0x02, (byte) 0xff, (byte) 0xfe},
        // an input (field 5) whose shape is a truncated varint
        new byte[] {0x0a, 0x01, 'm', 0x2a, 0x03, 0x18, (byte) 0x80, (byte) 0x80},
        // end-group wire type with no group
        new byte[] {0x0c});
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void malformedModelInferRequestIsInvalidArgument(byte[] request) {
    assertThatThrownBy(
            () ->
                ClientCalls.blockingUnaryCall(
                    channel,
                    asBytes(GRPCInferenceServiceGrpc.getModelInferMethod()),
                    CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                    request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode())
                  .as("%s", e.getStatus())
                  .isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription())
                  .startsWith("ModelInferRequest is malformed: ");
            });
  }

  @Test
  void malformedRequestsLeaveNoStackTraceInTheLog() {
    for (byte[] request : malformed()) {
      assertThatThrownBy(
              () ->
                  ClientCalls.blockingUnaryCall(
                      channel,
                      asBytes(GRPCInferenceServiceGrpc.getModelInferMethod()),
                      CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                      request))
          .isInstanceOf(StatusRuntimeException.class);
    }
    // The server logs after it has answered, so watch the log for a while.
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> logged.stream().noneMatch(r -> r.getThrown() != null));
  }

  @Test
  void otherMethodsAnswerMalformedRequestsWithInvalidArgumentToo() {
    assertThatThrownBy(
            () ->
                ClientCalls.blockingUnaryCall(
                    channel,
                    asBytes(GRPCInferenceServiceGrpc.getModelMetadataMethod()),
                    CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                    new byte[] {0x0a, 0x09, 'm'}))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode())
                  .as("%s", e.getStatus())
                  .isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription())
                  .startsWith("ModelMetadataRequest is malformed: ");
            });
    // A well-formed request on the same server still works.
    assertThat(
            GRPCInferenceServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .serverLive(ServerLiveRequest.getDefaultInstance())
                .getLive())
        .isTrue();
  }
}
