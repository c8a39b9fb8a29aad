package io.serval.client.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.serval.client.retry.Failure;
import io.serval.client.retry.Outcome;
import io.serval.client.transport.Transport;
import io.serval.client.v2.InferRequest;
import io.serval.client.v2.InferResult;
import io.serval.client.v2.ModelMetadata;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.serval.proto.inference.ModelInferResponse;
import io.serval.proto.inference.ModelMetadataRequest;
import io.serval.proto.inference.ModelMetadataResponse;
import io.serval.proto.inference.ModelReadyRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * V2 over gRPC ({@code inference.GRPCInferenceService}) on one channel. The attempt's time is the
 * call's gRPC deadline, which the router honours as it does {@code Serval-Timeout}.
 */
public final class GrpcTransport implements Transport {

  static final Metadata.Key<String> REVISION =
      Metadata.Key.of("serval-revision", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String target;
  private final ManagedChannel channel;
  private final Metadata credentials = new Metadata();

  /**
   * Set when an attempt could not reach the router, cleared when one does. grpc-java's channel
   * keeps failing fast while it reconnects (pick-first stays in TRANSIENT_FAILURE until READY), so
   * an attempt made meanwhile waits for the connection instead, within its own time: a request that
   * never got a connection was never sent, and its retry is safe.
   */
  private volatile boolean reconnecting;

  /**
   * @param target host:port of the router's gRPC server
   * @param tls whether to use TLS (the JDK's trust store)
   * @param apiKey sent as {@code authorization: Bearer <key>} metadata
   * @param maxResponseBytes the largest answer accepted
   */
  public GrpcTransport(String target, boolean tls, Optional<String> apiKey, long maxResponseBytes) {
    this.target = target;
    NettyChannelBuilder b =
        NettyChannelBuilder.forTarget(target)
            .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, maxResponseBytes))
            // Retries are this client's, with its rules: grpc-java's own would replay on
            // UNAVAILABLE whatever made it.
            .disableRetry();
    this.channel = (tls ? b.useTransportSecurity() : b.usePlaintext()).build();
    apiKey.ifPresent(k -> credentials.put(AUTHORIZATION, "Bearer " + k));
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public Outcome<InferResult> infer(String model, InferRequest request, Duration budget) {
    return call(
        budget,
        (stub, meta) -> {
          ModelInferResponse r = stub.modelInfer(GrpcTensors.request(model, request));
          return GrpcTensors.result(r, meta.revision());
        });
  }

  @Override
  public Outcome<ModelMetadata> metadata(String model, Duration budget) {
    return call(
        budget,
        (stub, meta) -> {
          ModelMetadataResponse r =
              stub.modelMetadata(ModelMetadataRequest.newBuilder().setName(model).build());
          return new ModelMetadata(
              r.getName(),
              List.copyOf(r.getVersionsList()),
              r.getPlatform(),
              tensors(r.getInputsList()),
              tensors(r.getOutputsList()));
        });
  }

  private static List<ModelMetadata.TensorMetadata> tensors(
      List<ModelMetadataResponse.TensorMetadata> list) {
    return list.stream()
        .map(
            t ->
                new ModelMetadata.TensorMetadata(
                    t.getName(), t.getDatatype(), List.copyOf(t.getShapeList())))
        .toList();
  }

  @Override
  public Outcome<Boolean> ready(String model, Duration budget) {
    return call(
        budget,
        (stub, meta) ->
            stub.modelReady(ModelReadyRequest.newBuilder().setName(model).build()).getReady());
  }

  /** What the call's headers and trailers said. */
  private record Captured(AtomicReference<Metadata> headers, AtomicReference<Metadata> trailers) {
    Optional<String> revision() {
      return Optional.ofNullable(trailers.get())
          .map(t -> t.get(REVISION))
          .or(() -> Optional.ofNullable(headers.get()).map(h -> h.get(REVISION)));
    }
  }

  private interface Rpc<T> {
    T run(GRPCInferenceServiceBlockingStub stub, Captured meta);
  }

  private <T> Outcome<T> call(Duration budget, Rpc<T> rpc) {
    CallTracker tracker = new CallTracker();
    Captured meta = new Captured(new AtomicReference<>(), new AtomicReference<>());
    boolean waitForConnection = reconnecting;
    if (waitForConnection) {
      // Reconnect now: this client's jittered backoff paces the retries, not the channel's own
      // reconnect backoff (which grows to minutes while a router restarts).
      channel.resetConnectBackoff();
    }
    GRPCInferenceServiceBlockingStub stub =
        GRPCInferenceServiceGrpc.newBlockingStub(channel)
            .withInterceptors(
                MetadataUtils.newAttachHeadersInterceptor(credentials),
                MetadataUtils.newCaptureMetadataInterceptor(meta.headers(), meta.trailers()),
                tracing(tracker))
            .withDeadlineAfter(Math.max(1, budget.toNanos()), TimeUnit.NANOSECONDS);
    if (waitForConnection) {
      stub = stub.withWaitForReady();
    }
    try {
      T value = rpc.run(stub, meta);
      reconnecting = false;
      return new Outcome.Answered<>(value);
    } catch (StatusRuntimeException e) {
      Outcome<T> outcome =
          classify(
              e.getStatus(),
              tracker.headersHeard(),
              tracker.trailersHeard(),
              tracker.headersSent(),
              budget);
      reconnecting = outcome instanceof Outcome.NotSent<T>;
      return outcome;
    } catch (IllegalArgumentException e) {
      return new Outcome.Final<>(
          Failure.connection("the router's answer could not be read: " + e.getMessage(), e));
    }
  }

  /**
   * How a failed call ended.
   *
   * @param headersHeard the server began an answer (sent response headers)
   * @param trailersHeard the server sent trailers: the status is the router's own
   * @param headersSent the request's HEADERS reached the connection
   */
  static <T> Outcome<T> classify(
      Status status,
      boolean headersHeard,
      boolean trailersHeard,
      boolean headersSent,
      Duration budget) {
    Status.Code code = status.getCode();
    String description = status.getDescription() == null ? "" : status.getDescription();
    if (trailersHeard) {
      Failure answered = Failure.answered(httpStatus(code), code.name(), description);
      if (!headersHeard
          && (code == Status.Code.UNAVAILABLE || code == Status.Code.RESOURCE_EXHAUSTED)) {
        // The router's refusal before any replica saw the request (queue full, no ready
        // replica): a trailers-only answer.
        return new Outcome.Refused<>(Duration.ZERO, answered);
      }
      return new Outcome.Final<>(answered);
    }
    if (!headersSent
        && (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED)) {
      // No connection (refused, or none within the attempt's time while waiting for one): the
      // request never left this machine.
      return new Outcome.NotSent<>(
          Failure.connection(
              "cannot reach the router: " + code + (description.isEmpty() ? "" : " " + description),
              status.getCause()));
    }
    if (code == Status.Code.DEADLINE_EXCEEDED) {
      return new Outcome.Final<>(
          Failure.timeout(
              "no answer within "
                  + budget.toMillis()
                  + "ms; not retried: the router may have started it",
              status.asRuntimeException()));
    }
    // Made on this machine after the request may have left it (a reset, a GOAWAY mid-call), or a
    // local refusal of the answer (over the size limit): the router may have started it. Not
    // retried.
    return new Outcome.Final<>(
        Failure.connection(
            "the call failed after the request was sent: "
                + code
                + (description.isEmpty() ? "" : " " + description)
                + "; not retried: the router may have started it",
            status.asRuntimeException()));
  }

  /** The HTTP status of a gRPC code in Serval's contract. */
  static int httpStatus(Status.Code code) {
    return switch (code) {
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
      case UNAUTHENTICATED -> 401;
      case PERMISSION_DENIED -> 403;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case UNAVAILABLE, RESOURCE_EXHAUSTED -> 503;
      case DEADLINE_EXCEEDED -> 504;
      case UNIMPLEMENTED -> 501;
      case CANCELLED -> 499;
      default -> 500;
    };
  }

  private static ClientInterceptor tracing(CallTracker tracker) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return next.newCall(method, options.withStreamTracerFactory(tracker));
      }
    };
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
