package io.serval.cli.client;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import io.serval.v2.EncodedBody;
import io.serval.v2.RestInferRequestDecoder;
import io.serval.v2.RestInferResponseEncoder;
import io.serval.v2.V2Exception;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The router's Open Inference Protocol V2 gRPC API ({@code inference.GRPCInferenceService}): sends
 * a V2 JSON request as a ModelInfer call and gives the answer back as V2 JSON, so that the gRPC
 * path prints what the REST path prints.
 */
public final class RouterGrpcClient implements AutoCloseable {

  static {
    // Netty's use of sun.misc.Unsafe makes JDK 24+ print a deprecation warning on stderr, in the
    // middle of a command's output; a one-shot client loses nothing without it.
    if (System.getProperty("io.netty.noUnsafe") == null) {
      System.setProperty("io.netty.noUnsafe", "true");
    }
  }

  /** The trailer (also sent as a header) naming the revision that served the request. */
  static final Metadata.Key<String> REVISION =
      Metadata.Key.of("serval-revision", Metadata.ASCII_STRING_MARSHALLER);

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** A V2 JSON answer and the revision that served it, when the router said. */
  public record Answer(String json, Optional<String> revision) {}

  private final String target;
  private final Duration timeout;
  private final Optional<String> apiKey;
  private final ManagedChannel channel;

  /**
   * @param target host:port of the router's gRPC server
   * @param timeout deadline of the call
   * @param apiKey sent as {@code authorization: Bearer <key>} metadata when present
   */
  public RouterGrpcClient(String target, Duration timeout, Optional<String> apiKey) {
    this.target = target;
    this.timeout = timeout;
    this.apiKey = apiKey;
    try {
      this.channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    } catch (IllegalArgumentException e) {
      throw new CliException(
          ExitCode.USAGE,
          "bad gRPC address " + target + " (expected HOST:PORT): " + e.getMessage());
    }
  }

  public String target() {
    return target;
  }

  /**
   * ModelInfer with the V2 JSON request {@code json} for {@code model}.
   *
   * @throws CliException USAGE when json is not a valid V2 request, else the exit code matching the
   *     router's gRPC status
   */
  public Answer infer(String model, String json) {
    ModelInferRequest request;
    try {
      request =
          RestInferRequestDecoder.decode(
              model, null, json.getBytes(StandardCharsets.UTF_8), OptionalInt.empty());
    } catch (V2Exception e) {
      throw new CliException(ExitCode.USAGE, "not a valid V2 request: " + e.getMessage());
    }
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    ModelInferResponse response;
    Metadata credentials = new Metadata();
    apiKey.ifPresent(k -> credentials.put(AUTHORIZATION, ApiKey.header(k)));
    try {
      response =
          GRPCInferenceServiceGrpc.newBlockingStub(channel)
              .withInterceptors(
                  MetadataUtils.newAttachHeadersInterceptor(credentials),
                  MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
              .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .modelInfer(request);
    } catch (StatusRuntimeException e) {
      throw failure(model, e);
    }
    EncodedBody body = RestInferResponseEncoder.encode(response, request);
    int jsonLength = body.inferenceHeaderContentLength().orElse(body.body().length);
    Optional<String> revision =
        Optional.ofNullable(trailers.get())
            .map(t -> t.get(REVISION))
            .or(() -> Optional.ofNullable(headers.get()).map(h -> h.get(REVISION)));
    return new Answer(new String(body.body(), 0, jsonLength, StandardCharsets.UTF_8), revision);
  }

  private CliException failure(String model, StatusRuntimeException e) {
    Status status = e.getStatus();
    if (status.getCode() == Status.Code.UNAVAILABLE && causedByConnect(e)) {
      return new CliException(
          ExitCode.UNREACHABLE,
          "cannot reach the router's gRPC server at "
              + target
              + " (connection refused). Is the platform running (./serval up)? Point"
              + " --router-grpc (or SERVAL_ROUTER_GRPC) at it.");
    }
    int code =
        switch (status.getCode()) {
          case NOT_FOUND -> ExitCode.NOT_FOUND;
          case INVALID_ARGUMENT -> ExitCode.REJECTED;
          case UNAUTHENTICATED, PERMISSION_DENIED -> ExitCode.UNAUTHORIZED;
          default -> ExitCode.FAILED;
        };
    String why = status.getDescription() == null ? "" : ": " + status.getDescription();
    if (code == ExitCode.UNAUTHORIZED) {
      why += ". " + RouterClient.KEY_HINT;
    }
    return new CliException(
        code, "the router answered " + status.getCode() + " for " + model + why, e);
  }

  private static boolean causedByConnect(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
