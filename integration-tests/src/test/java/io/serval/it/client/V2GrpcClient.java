package io.serval.it.client;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.serval.it.load.Outcome;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** The router's V2 gRPC data plane (one channel, HTTP/2 multiplexed). */
public final class V2GrpcClient implements AutoCloseable {

  static final Metadata.Key<String> REVISION =
      Metadata.Key.of("serval-revision", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> API_KEY =
      Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel channel;
  private final Optional<String> apiKey;

  public V2GrpcClient(int port, Optional<String> apiKey) {
    this.channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port)
            .usePlaintext()
            .maxInboundMessageSize(64 << 20)
            .build();
    this.apiKey = apiKey;
  }

  /** ModelInfer with the client's API key (if any). */
  public GrpcAnswer infer(ModelInferRequest request, Duration deadline) {
    return infer(request, deadline, apiKey);
  }

  public GrpcAnswer infer(ModelInferRequest request, Duration deadline, Optional<String> key) {
    return infer(request, deadline, key, java.util.Map.of());
  }

  /** ModelInfer with the client's API key (if any) and extra ASCII metadata (e.g. traceparent). */
  public GrpcAnswer infer(
      ModelInferRequest request, Duration deadline, java.util.Map<String, String> extra) {
    return infer(request, deadline, apiKey, extra);
  }

  private GrpcAnswer infer(
      ModelInferRequest request,
      Duration deadline,
      Optional<String> key,
      java.util.Map<String, String> extra) {
    Metadata headers = new Metadata();
    key.ifPresent(k -> headers.put(API_KEY, k));
    extra.forEach((k, v) -> headers.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
    AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    var stub =
        GRPCInferenceServiceGrpc.newBlockingStub(channel)
            .withInterceptors(
                MetadataUtils.newAttachHeadersInterceptor(headers),
                MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers))
            .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    long t0 = System.nanoTime();
    try {
      ModelInferResponse r = stub.modelInfer(request);
      return new GrpcAnswer(
          t0, System.nanoTime() - t0, Status.OK, r, revision(trailers, responseHeaders));
    } catch (StatusRuntimeException e) {
      Metadata t = e.getTrailers() != null ? e.getTrailers() : trailers.get();
      String rev = t == null ? null : t.get(REVISION);
      return new GrpcAnswer(t0, System.nanoTime() - t0, e.getStatus(), null, rev);
    }
  }

  private static String revision(
      AtomicReference<Metadata> trailers, AtomicReference<Metadata> headers) {
    for (Metadata m : new Metadata[] {trailers.get(), headers.get()}) {
      if (m != null && m.get(REVISION) != null) {
        return m.get(REVISION);
      }
    }
    return null;
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

  /** A gRPC answer: the response on OK, else the status. */
  public record GrpcAnswer(
      long startNanos,
      long latencyNanos,
      Status status,
      ModelInferResponse response,
      String revision) {

    public double latencyMillis() {
      return latencyNanos / 1e6;
    }

    public Outcome toOutcome() {
      boolean ok = status.isOk();
      return new Outcome(
          startNanos,
          latencyNanos,
          status.getCode().name(),
          ok,
          revision,
          ok ? null : status.getDescription());
    }

    @Override
    public String toString() {
      return status.getCode()
          + " "
          + status.getDescription()
          + " (revision "
          + revision
          + ", "
          + latencyMillis()
          + " ms)";
    }
  }
}
