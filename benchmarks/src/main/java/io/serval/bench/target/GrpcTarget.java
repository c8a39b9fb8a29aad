package io.serval.bench.target;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.serval.bench.load.Target;
import io.serval.bench.workload.InputTensor;
import io.serval.bench.workload.OutputTensor;
import io.serval.bench.workload.Workload;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * V2 {@code ModelInfer} over one HTTP/2 connection with the async stub; inputs travel as
 * raw_input_contents. Callbacks run on the Netty event loop (direct executor): the load loop only
 * records and sends, so no extra thread hop is paid.
 *
 * <p>Load calls read each response to its end without decoding it, like {@link RestTarget}: both
 * clients share the machine with the predictor, and a client that builds a message per response
 * (for MiniLM, a copy of 196 KB) would take CPU from the server it measures. The probe ({@link
 * #fetchOutput}) decodes and checks the output.
 */
public final class GrpcTarget implements Target {
  private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private final ManagedChannel channel;
  private final GRPCInferenceServiceGrpc.GRPCInferenceServiceStub stub;
  private final MethodDescriptor<ModelInferRequest, Long> undecoded;
  private final ModelInferRequest request;
  private final String outputName;

  private final long timeoutMillis;

  public GrpcTarget(
      Workload workload, String host, int port, Duration timeout, EventLoopGroup eventLoops) {
    this.timeoutMillis = timeout.toMillis();
    this.channel =
        NettyChannelBuilder.forAddress(host, port)
            .usePlaintext()
            .eventLoopGroup(eventLoops)
            .channelType(NioSocketChannel.class)
            .directExecutor()
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .build();
    this.stub = GRPCInferenceServiceGrpc.newStub(channel);
    MethodDescriptor<ModelInferRequest, ModelInferResponse> infer =
        GRPCInferenceServiceGrpc.getModelInferMethod();
    this.undecoded =
        infer.toBuilder(infer.getRequestMarshaller(), new SkippingMarshaller()).build();
    this.request = request(workload);
    this.outputName = workload.outputName();
  }

  public static ModelInferRequest request(Workload workload) {
    ModelInferRequest.Builder builder =
        ModelInferRequest.newBuilder().setModelName(workload.name());
    for (InputTensor input : workload.inputs()) {
      ModelInferRequest.InferInputTensor.Builder tensor =
          ModelInferRequest.InferInputTensor.newBuilder()
              .setName(input.name())
              .setDatatype(input.datatype());
      for (long d : input.shape()) {
        tensor.addShape(d);
      }
      builder.addInputs(tensor);
      builder.addRawInputContents(ByteString.copyFrom(input.littleEndianBytes()));
    }
    return builder.build();
  }

  @Override
  public CompletableFuture<?> call() {
    CompletableFuture<Long> response = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(
        channel.newCall(
            undecoded, CallOptions.DEFAULT.withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)),
        request,
        observer(response));
    return response;
  }

  private CompletableFuture<ModelInferResponse> callDecoded() {
    CompletableFuture<ModelInferResponse> response = new CompletableFuture<>();
    stub.withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
        .modelInfer(request, observer(response));
    return response;
  }

  private static <T> StreamObserver<T> observer(CompletableFuture<T> response) {
    return new StreamObserver<>() {
      private T received;

      @Override
      public void onNext(T value) {
        received = value;
      }

      @Override
      public void onError(Throwable t) {
        response.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        response.complete(received);
      }
    };
  }

  /** Reads a response message to its end and answers its size, without building the message. */
  private static final class SkippingMarshaller implements MethodDescriptor.Marshaller<Long> {
    @Override
    public InputStream stream(Long value) {
      throw new IllegalStateException("this marshaller only reads responses");
    }

    @Override
    public Long parse(InputStream stream) {
      try (stream) {
        long total = 0;
        while (true) {
          long skipped = stream.skip(Long.MAX_VALUE);
          if (skipped > 0) {
            total += skipped;
          } else if (stream.read() >= 0) {
            total++;
          } else {
            return total;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Sends one request and decodes the checked output (raw or typed contents). */
  public OutputTensor fetchOutput() throws Exception {
    ModelInferResponse response = callDecoded().get(60, TimeUnit.SECONDS);
    for (int i = 0; i < response.getOutputsCount(); i++) {
      ModelInferResponse.InferOutputTensor output = response.getOutputs(i);
      if (!output.getName().equals(outputName)) {
        continue;
      }
      long[] shape = output.getShapeList().stream().mapToLong(Long::longValue).toArray();
      float[] values;
      if (response.getRawOutputContentsCount() > i) {
        FloatBuffer floats =
            response
                .getRawOutputContents(i)
                .asReadOnlyByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer();
        values = new float[floats.remaining()];
        floats.get(values);
      } else {
        var list = output.getContents().getFp32ContentsList();
        values = new float[list.size()];
        for (int j = 0; j < values.length; j++) {
          values[j] = list.get(j);
        }
      }
      return new OutputTensor(outputName, shape, values);
    }
    throw new IllegalStateException("gRPC response has no output " + outputName);
  }

  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(10, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
