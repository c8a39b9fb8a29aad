package io.serval.bench.router;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.serval.bench.process.PredictorProcess;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in predictor in the harness's own JVM: answers every ModelInfer with one INT8 value, at
 * once, whatever it was sent. For measuring what the router does with large requests, without a
 * model's time in the way.
 */
final class SinkPredictor implements AutoCloseable {
  private static final String HOST = PredictorProcess.HOST;
  private final Server server;

  SinkPredictor(int port, int maxMessageBytes) throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(HOST, port))
            .maxInboundMessageSize(maxMessageBytes)
            .addService(new Service())
            .build()
            .start();
  }

  String address() {
    return HOST + ":" + server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static final class Service extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    @Override
    public void modelInfer(
        ModelInferRequest request, StreamObserver<ModelInferResponse> responses) {
      responses.onNext(
          ModelInferResponse.newBuilder()
              .setModelName(request.getModelName())
              .addOutputs(
                  ModelInferResponse.InferOutputTensor.newBuilder()
                      .setName("y")
                      .setDatatype("INT8")
                      .addShape(1))
              .addRawOutputContents(ByteString.copyFrom(new byte[] {1}))
              .build());
      responses.onCompleted();
    }
  }
}
