package io.serval.router.dispatch;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.ModelMetadataRequest;
import io.serval.proto.inference.ModelMetadataResponse;
import io.serval.router.queue.Ticker;
import io.serval.router.routing.RouteTable;
import io.serval.router.routing.RouteTableHolder;
import java.util.concurrent.TimeUnit;

/**
 * Model metadata comes from one ready replica of the API the name resolves to, with the name the
 * client used put back in the answer. It bypasses the queue: it costs the replica almost nothing.
 */
public final class MetadataForwarder {
  private final RouteTableHolder routes;
  private final InferenceDispatcher dispatcher;
  private final ReplicaChannels channels;
  private final Ticker ticker;

  public MetadataForwarder(
      RouteTableHolder routes,
      InferenceDispatcher dispatcher,
      ReplicaChannels channels,
      Ticker ticker) {
    this.routes = routes;
    this.dispatcher = dispatcher;
    this.channels = channels;
    this.ticker = ticker;
  }

  public InferenceDispatcher.Handle fetch(
      String name, long clientDeadlineNanos, Answer<ModelMetadataResponse> answer) {
    return fetch(name, "", clientDeadlineNanos, answer);
  }

  /**
   * The metadata of one replica of the API, asked for {@code version} ("" for any): the predictor
   * answers NOT_FOUND for a version its model does not have, as it does for inference.
   */
  public InferenceDispatcher.Handle fetch(
      String name, String version, long clientDeadlineNanos, Answer<ModelMetadataResponse> answer) {
    RouteTable.Target target = routes.current().resolve(name, dispatcher.random());
    if (target == null) {
      answer.error(UnknownTarget.status(routes, name), null);
      return InferenceDispatcher.Handle.NONE;
    }
    String[] replica = dispatcher.anyReplica(target.api());
    if (replica == null) {
      answer.error(
          Status.UNAVAILABLE.withDescription(
              "API '" + target.api().name() + "' has no ready replica"),
          null);
      return InferenceDispatcher.Handle.NONE;
    }
    long timeout = target.api().timeout().toNanos();
    if (clientDeadlineNanos != Long.MAX_VALUE) {
      timeout = Math.min(timeout, clientDeadlineNanos - ticker.nanos());
    }
    ClientCall<ModelMetadataRequest, ModelMetadataResponse> call =
        channels
            .get(replica[0])
            .newCall(
                GRPCInferenceServiceGrpc.getModelMetadataMethod(),
                CallOptions.DEFAULT.withDeadlineAfter(timeout, TimeUnit.NANOSECONDS));
    ClientCalls.asyncUnaryCall(
        call,
        ModelMetadataRequest.newBuilder()
            .setName(target.api().modelName())
            .setVersion(version)
            .build(),
        new StreamObserver<>() {
          @Override
          public void onNext(ModelMetadataResponse r) {
            answer.ok(r.toBuilder().setName(name).build(), replica[1]);
          }

          @Override
          public void onError(Throwable t) {
            answer.error(Status.fromThrowable(t), replica[1]);
          }

          @Override
          public void onCompleted() {}
        });
    return () -> call.cancel("the client cancelled the request", null);
  }
}
