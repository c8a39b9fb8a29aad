package io.serval.router.fakes;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import io.serval.proto.inference.ModelMetadataRequest;
import io.serval.proto.inference.ModelMetadataResponse;
import io.serval.proto.inference.ServerReadyRequest;
import io.serval.proto.inference.ServerReadyResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A V2 gRPC predictor on a random loopback port. NORMAL echoes each input back as an output, SLOW
 * holds every answer until {@link #release()}, FAILING answers INTERNAL.
 */
public final class FakePredictor implements AutoCloseable {
  public enum Mode {
    NORMAL,
    SLOW,
    FAILING
  }

  private final String label;
  private final Mode mode;
  private final Server server;
  private final AtomicInteger calls = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> modelNames = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();

  public FakePredictor(String label, Mode mode) throws IOException {
    this.label = label;
    this.mode = mode;
    this.server =
        NettyServerBuilder.forAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
            .addService(new Service())
            .build()
            .start();
  }

  public String address() {
    return "127.0.0.1:" + server.getPort();
  }

  public String label() {
    return label;
  }

  /** ModelInfer calls received. */
  public int calls() {
    return calls.get();
  }

  /** Answers still held by a SLOW predictor. */
  public int held() {
    return held.size();
  }

  public List<String> modelNames() {
    return new ArrayList<>(modelNames);
  }

  /** Sends every held answer. */
  public void release() {
    for (Runnable r; (r = held.poll()) != null; ) {
      r.run();
    }
  }

  public void reset() {
    release();
    calls.set(0);
    modelNames.clear();
  }

  @Override
  public void close() {
    release();
    server.shutdownNow();
  }

  static ModelInferResponse echo(ModelInferRequest req, String label) {
    ModelInferResponse.Builder b =
        ModelInferResponse.newBuilder()
            .setModelName(req.getModelName())
            .setModelVersion(label)
            .setId(req.getId());
    for (int i = 0; i < req.getInputsCount(); i++) {
      var in = req.getInputs(i);
      b.addOutputs(
          ModelInferResponse.InferOutputTensor.newBuilder()
              .setName("out_" + in.getName())
              .setDatatype(in.getDatatype())
              .addAllShape(in.getShapeList()));
      b.addRawOutputContents(req.getRawInputContents(i));
    }
    return b.build();
  }

  private final class Service extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    @Override
    public void modelInfer(ModelInferRequest req, StreamObserver<ModelInferResponse> out) {
      calls.incrementAndGet();
      modelNames.add(req.getModelName());
      switch (mode) {
        case NORMAL -> {
          out.onNext(echo(req, label));
          out.onCompleted();
        }
        case SLOW ->
            held.add(
                () -> {
                  try {
                    out.onNext(echo(req, label));
                    out.onCompleted();
                  } catch (RuntimeException cancelled) {
                    // The router gave up on this call already.
                  }
                });
        case FAILING ->
            out.onError(Status.INTERNAL.withDescription("model failed").asRuntimeException());
      }
    }

    @Override
    public void modelMetadata(ModelMetadataRequest req, StreamObserver<ModelMetadataResponse> out) {
      // as a predictor does: its model has one version, the label
      if (!req.getVersion().isEmpty() && !req.getVersion().equals(label)) {
        out.onError(
            Status.NOT_FOUND
                .withDescription("no version '" + req.getVersion() + "'")
                .asRuntimeException());
        return;
      }
      out.onNext(
          ModelMetadataResponse.newBuilder()
              .setName(req.getName())
              .addVersions(label)
              .setPlatform("onnxruntime_onnx")
              .addInputs(
                  ModelMetadataResponse.TensorMetadata.newBuilder()
                      .setName("x")
                      .setDatatype("FP32")
                      .addShape(-1)
                      .addShape(2))
              .build());
      out.onCompleted();
    }

    @Override
    public void serverReady(ServerReadyRequest req, StreamObserver<ServerReadyResponse> out) {
      out.onNext(ServerReadyResponse.newBuilder().setReady(true).build());
      out.onCompleted();
    }
  }
}
