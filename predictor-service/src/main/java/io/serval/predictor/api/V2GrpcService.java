package io.serval.predictor.api;

import io.grpc.Context;
import io.grpc.ServerServiceDefinition;
import io.quarkus.grpc.GrpcService;
import io.serval.predictor.metrics.Protocol;
import io.serval.predictor.metrics.RequestOutcomes;
import io.serval.predictor.runtime.PredictorRuntime;
import io.serval.predictor.serving.V2Inference;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import io.serval.proto.inference.ModelMetadataRequest;
import io.serval.proto.inference.ModelMetadataResponse;
import io.serval.proto.inference.ModelReadyRequest;
import io.serval.proto.inference.ModelReadyResponse;
import io.serval.proto.inference.ModelStatisticsRequest;
import io.serval.proto.inference.ModelStatisticsResponse;
import io.serval.proto.inference.MutinyGRPCInferenceServiceGrpc;
import io.serval.proto.inference.ServerLiveRequest;
import io.serval.proto.inference.ServerLiveResponse;
import io.serval.proto.inference.ServerMetadataRequest;
import io.serval.proto.inference.ServerMetadataResponse;
import io.serval.proto.inference.ServerReadyRequest;
import io.serval.proto.inference.ServerReadyResponse;
import io.serval.v2.MalformedRequestGuard;
import io.serval.v2.V2Exception;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Open Inference Protocol V2 over gRPC. ModelInfer returns the batcher's future as a Uni: the event
 * loop hands the request over and the answer is written when a worker completes it. Raw requests
 * get raw answers, typed requests typed ones. A request that does not parse is answered
 * INVALID_ARGUMENT by {@link MalformedRequestGuard}.
 */
@GrpcService
public class V2GrpcService extends MutinyGRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

  @Inject PredictorRuntime runtime;

  @ConfigProperty(name = "quarkus.application.version", defaultValue = "0.1.0")
  String serverVersion;

  @Override
  public ServerServiceDefinition bindService() {
    return MalformedRequestGuard.guard(super.bindService());
  }

  @Override
  public Uni<ServerLiveResponse> serverLive(ServerLiveRequest request) {
    return Uni.createFrom().item(ServerLiveResponse.newBuilder().setLive(true).build());
  }

  @Override
  public Uni<ServerReadyResponse> serverReady(ServerReadyRequest request) {
    boolean ready = runtime.v2() != null && runtime.v2().ready();
    return Uni.createFrom().item(ServerReadyResponse.newBuilder().setReady(ready).build());
  }

  @Override
  public Uni<ModelReadyResponse> modelReady(ModelReadyRequest request) {
    try {
      boolean ready = runtime.v2OrUnavailable().modelReady(request.getName(), request.getVersion());
      return Uni.createFrom().item(ModelReadyResponse.newBuilder().setReady(ready).build());
    } catch (V2Exception e) {
      return fail(e);
    }
  }

  @Override
  public Uni<ServerMetadataResponse> serverMetadata(ServerMetadataRequest request) {
    return Uni.createFrom()
        .item(
            ServerMetadataResponse.newBuilder()
                .setName(ServerInfo.NAME)
                .setVersion(serverVersion)
                .addAllExtensions(ServerInfo.EXTENSIONS)
                .build());
  }

  @Override
  public Uni<ModelMetadataResponse> modelMetadata(ModelMetadataRequest request) {
    try {
      return Uni.createFrom()
          .item(runtime.v2OrUnavailable().metadata(request.getName(), request.getVersion()));
    } catch (V2Exception e) {
      return fail(e);
    }
  }

  /** Triton's statistics extension: the served model's cumulative counts and durations. */
  @Override
  public Uni<ModelStatisticsResponse> modelStatistics(ModelStatisticsRequest request) {
    try {
      return Uni.createFrom().item(runtime.statistics(request.getName(), request.getVersion()));
    } catch (V2Exception e) {
      return fail(e);
    }
  }

  @Override
  public Uni<ModelInferResponse> modelInfer(ModelInferRequest request) {
    boolean raw = request.getRawInputContentsCount() > 0;
    V2Inference v2;
    try {
      v2 = runtime.v2OrUnavailable();
    } catch (V2Exception e) {
      return fail(e);
    }
    long start = System.nanoTime();
    CompletableFuture<ModelInferResponse> response = v2.infer(request, raw);
    RequestOutcomes outcomes = v2.outcomes();
    response.whenComplete(
        (r, t) ->
            outcomes.finished(
                Protocol.GRPC,
                t == null ? null : V2Inference.asV2(t).kind(),
                System.nanoTime() - start));
    // The call's context is cancelled when the client cancels or its deadline passes: drop the
    // request then instead of running it for nobody (the router has already freed its slot).
    Context.current().addListener(ctx -> response.cancel(false), Runnable::run);
    return Uni.createFrom()
        .completionStage(response)
        .onFailure()
        .transform(t -> V2Inference.asV2(t).grpcStatus().asRuntimeException());
  }

  private static <T> Uni<T> fail(V2Exception e) {
    return Uni.createFrom().failure(e.grpcStatus().asRuntimeException());
  }
}
