package io.serval.operator.scaling;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.serval.operator.control.ReplicaCounts;
import io.serval.operator.control.ResourceNotFoundException;
import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaRuntime;
import io.serval.operator.spec.AutoscalingSpec;
import io.serval.operator.state.ApiRecord;
import io.serval.proto.control.AutoscaledApi;
import io.serval.proto.control.ListAutoscaledApisRequest;
import io.serval.proto.control.ListAutoscaledApisResponse;
import io.serval.proto.control.ScalingGrpc;
import io.serval.proto.control.SetDesiredReplicasRequest;
import io.serval.proto.control.SetDesiredReplicasResponse;
import io.serval.proto.control.WakeUpRequest;
import io.serval.proto.control.WakeUpResponse;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.util.Optional;

/** serval.control.v1.Scaling: the autoscaler reads autoscaling specs and sets desired replicas. */
@GrpcService
@Blocking
public class ScalingGrpcService extends ScalingGrpc.ScalingImplBase {

  @Inject ResourceRegistry registry;
  @Inject ReplicaRuntime runtime;

  @Override
  public void listAutoscaledApis(
      ListAutoscaledApisRequest request, StreamObserver<ListAutoscaledApisResponse> observer) {
    ListAutoscaledApisResponse.Builder b = ListAutoscaledApisResponse.newBuilder();
    for (ApiRecord a : registry.apis()) {
      int ready = (int) runtime.replicas(a.name()).stream().filter(ReplicaInfo::ready).count();
      b.addApis(
          AutoscaledApi.newBuilder()
              .setName(a.name())
              .setSpec(spec(a.api().spec().autoscaling()))
              .setCurrentReplicas(a.desiredReplicas())
              .setReadyReplicas(ready));
    }
    observer.onNext(b.build());
    observer.onCompleted();
  }

  @Override
  public void setDesiredReplicas(
      SetDesiredReplicasRequest request, StreamObserver<SetDesiredReplicasResponse> observer) {
    if (refusedHere(observer)) {
      return;
    }
    if (request.getReplicas() < 0) {
      observer.onError(
          Status.INVALID_ARGUMENT
              .withDescription("replicas must be >= 0, got " + request.getReplicas())
              .asRuntimeException());
      return;
    }
    try {
      String reason = request.getReason().isBlank() ? "autoscaler" : request.getReason();
      ReplicaCounts counts =
          registry.setDesiredReplicas(request.getApi(), request.getReplicas(), reason);
      observer.onNext(
          SetDesiredReplicasResponse.newBuilder().setAppliedReplicas(counts.applied()).build());
      observer.onCompleted();
    } catch (ResourceNotFoundException e) {
      observer.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public void wakeUp(WakeUpRequest request, StreamObserver<WakeUpResponse> observer) {
    if (refusedHere(observer)) {
      return;
    }
    try {
      ReplicaCounts counts = registry.wakeUp(request.getApi(), request.getRouterId());
      observer.onNext(WakeUpResponse.newBuilder().setDesiredReplicas(counts.applied()).build());
      observer.onCompleted();
    } catch (ResourceNotFoundException e) {
      observer.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  /**
   * Changes go to the leader only. UNAVAILABLE, since the call succeeds elsewhere (the leader) or
   * here later: callers retry it, and the message names the leader.
   */
  private boolean refusedHere(StreamObserver<?> observer) {
    Optional<String> why = runtime.leaderState().refusal();
    why.ifPresent(
        w -> observer.onError(Status.UNAVAILABLE.withDescription(w).asRuntimeException()));
    return why.isPresent();
  }

  static io.serval.proto.control.AutoscalingSpec spec(AutoscalingSpec a) {
    return io.serval.proto.control.AutoscalingSpec.newBuilder()
        .setMinReplicas(a.minReplicas())
        .setMaxReplicas(a.maxReplicas())
        .setInitReplicas(a.initReplicas())
        .setTargetInFlight(a.targetInFlight())
        .setWindow(duration(a.window()))
        .setUpscaleStabilizationPeriod(duration(a.upscaleStabilizationPeriod()))
        .setDownscaleStabilizationPeriod(duration(a.downscaleStabilizationPeriod()))
        .setMaxUpscaleFactor(a.maxUpscaleFactor())
        .setMaxDownscaleFactor(a.maxDownscaleFactor())
        .setUpscaleTolerance(a.upscaleTolerance())
        .setDownscaleTolerance(a.downscaleTolerance())
        .setOverprovisioning(a.overprovisioning())
        .setPanicWindow(duration(a.panic().window()))
        .setPanicThreshold(a.panic().threshold())
        .build();
  }

  private static com.google.protobuf.Duration duration(java.time.Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds())
        .setNanos(d.getNano())
        .build();
  }
}
