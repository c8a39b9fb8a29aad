package io.serval.client;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import io.serval.proto.inference.ModelMetadataRequest;
import io.serval.proto.inference.ModelMetadataResponse;
import io.serval.proto.inference.ModelReadyRequest;
import io.serval.proto.inference.ModelReadyResponse;
import io.serval.v2.InferRequestReader;
import io.serval.v2.InferResponseWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A V2 gRPC server on a loopback port: scripted statuses first (one per call), then an echo of the
 * inputs as outputs (typed contents, or raw when {@link #raw} is set), with a revision trailer.
 */
final class FakeGrpcRouter implements AutoCloseable {

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> REVISION =
      Metadata.Key.of("serval-revision", Metadata.ASCII_STRING_MARSHALLER);

  /** A scripted call that never answers until the test ends. */
  static final Status HANG = Status.UNKNOWN.withDescription("hang");

  private final Server server;
  private final Deque<Status> scripts = new ArrayDeque<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final List<Long> deadlinesMillis = new CopyOnWriteArrayList<>();
  final List<ModelInferRequest> infers = new CopyOnWriteArrayList<>();
  final CountDownLatch release = new CountDownLatch(1);
  volatile boolean raw;

  FakeGrpcRouter(int port) {
    ServerInterceptor capture =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            authorizations.add(String.valueOf(headers.get(AUTHORIZATION)));
            Deadline d = Context.current().getDeadline();
            deadlinesMillis.add(d == null ? -1 : d.timeRemaining(TimeUnit.MILLISECONDS));
            return next.startCall(
                new io.grpc.ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                  @Override
                  public void close(Status status, Metadata trailers) {
                    if (status.isOk()) {
                      trailers.put(REVISION, "echo/r1");
                    }
                    super.close(status, trailers);
                  }
                },
                headers);
          }
        };
    try {
      server =
          NettyServerBuilder.forAddress(
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
              .addService(ServerInterceptors.intercept(new Service(), capture))
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  FakeGrpcRouter() {
    this(0);
  }

  String target() {
    return "127.0.0.1:" + server.getPort();
  }

  synchronized FakeGrpcRouter then(Status s) {
    scripts.add(s);
    return this;
  }

  private synchronized Status next() {
    return scripts.poll();
  }

  private final class Service extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    @Override
    public void modelInfer(ModelInferRequest req, StreamObserver<ModelInferResponse> out) {
      infers.add(req);
      Status s = next();
      if (s == HANG) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        out.onError(Status.CANCELLED.asRuntimeException());
        return;
      }
      if (s != null) {
        out.onError(s.asRuntimeException());
        return;
      }
      out.onNext(
          InferResponseWriter.build(
              req.getModelName(), "1", req.getId(), InferRequestReader.inputs(req), raw));
      out.onCompleted();
    }

    @Override
    public void modelReady(ModelReadyRequest req, StreamObserver<ModelReadyResponse> out) {
      Status s = next();
      if (s != null) {
        out.onError(s.asRuntimeException());
        return;
      }
      out.onNext(ModelReadyResponse.newBuilder().setReady(true).build());
      out.onCompleted();
    }

    @Override
    public void modelMetadata(ModelMetadataRequest req, StreamObserver<ModelMetadataResponse> out) {
      out.onNext(
          ModelMetadataResponse.newBuilder()
              .setName(req.getName())
              .addVersions("r1")
              .setPlatform("onnxruntime_onnx")
              .addInputs(
                  ModelMetadataResponse.TensorMetadata.newBuilder()
                      .setName("a")
                      .setDatatype("FP32")
                      .addShape(-1)
                      .addShape(4))
              .build());
      out.onCompleted();
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
