package io.serval.autoscaler.fakes;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.serval.proto.control.AutoscaledApi;
import io.serval.proto.control.AutoscalingSpec;
import io.serval.proto.control.ListAutoscaledApisRequest;
import io.serval.proto.control.ListAutoscaledApisResponse;
import io.serval.proto.control.ScalingGrpc;
import io.serval.proto.control.SetDesiredReplicasRequest;
import io.serval.proto.control.SetDesiredReplicasResponse;
import io.serval.proto.control.WakeUpRequest;
import io.serval.proto.control.WakeUpResponse;
import io.serval.security.PlatformToken;
import io.serval.security.grpc.PlatformTokenServerInterceptor;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An in-process stand-in for the operator's Scaling service (plain grpc-java on a fixed port, so
 * that it can go away and come back at the same address).
 */
public final class FakeOperator extends ScalingGrpc.ScalingImplBase {

  /** A SetDesiredReplicas call the fake accepted. */
  public record SetCall(String api, int replicas, String reason, long atMillis) {}

  private record Api(AutoscalingSpec spec, int current, int ready, boolean follows) {}

  private final int port;
  private final Map<String, Api> apis = new ConcurrentHashMap<>();
  private final List<SetCall> accepted = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> refusedSets = new ConcurrentHashMap<>();
  private volatile boolean refuseSets;
  private Server server;

  public FakeOperator(int port) {
    this.port = port;
  }

  /** Starts serving; does nothing when already serving. */
  public synchronized void start() throws IOException {
    if (server != null) {
      return;
    }
    // Checks the platform token as the real operator does, so every test also shows that the
    // autoscaler sends it.
    server =
        ServerBuilder.forPort(port)
            .addService(
                ServerInterceptors.intercept(
                    this,
                    new PlatformTokenServerInterceptor(
                        PlatformToken.of(FakeOperatorResource.PLATFORM_TOKEN, "test"), Set.of())))
            .build()
            .start();
  }

  /** The operator goes away: the port stops answering. */
  public synchronized void stop() throws InterruptedException {
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server = null;
    }
  }

  public int port() {
    return port;
  }

  /**
   * Adds an autoscaled API. With {@code follows}, an accepted SetDesiredReplicas becomes the
   * current and ready replicas at once, as a fast operator would report them.
   */
  public void put(String name, AutoscalingSpec spec, int current, boolean follows) {
    apis.put(name, new Api(spec, current, current, follows));
  }

  /** Changes the replicas, as the operator does when a router's WakeUp arrives. */
  public void setReplicas(String name, int replicas) {
    apis.computeIfPresent(name, (n, a) -> new Api(a.spec(), replicas, replicas, a.follows()));
  }

  /** Answers SetDesiredReplicas with UNAVAILABLE while true. */
  public void refuseSets(boolean refuse) {
    refuseSets = refuse;
  }

  public List<SetCall> accepted(String api) {
    return accepted.stream().filter(c -> c.api().equals(api)).toList();
  }

  public int refused(String api) {
    return refusedSets.getOrDefault(api, 0);
  }

  public void reset() {
    apis.clear();
    accepted.clear();
    refusedSets.clear();
    refuseSets = false;
  }

  @Override
  public void listAutoscaledApis(
      ListAutoscaledApisRequest request, StreamObserver<ListAutoscaledApisResponse> response) {
    ListAutoscaledApisResponse.Builder b = ListAutoscaledApisResponse.newBuilder();
    apis.forEach(
        (name, a) ->
            b.addApis(
                AutoscaledApi.newBuilder()
                    .setName(name)
                    .setSpec(a.spec())
                    .setCurrentReplicas(a.current())
                    .setReadyReplicas(a.ready())));
    response.onNext(b.build());
    response.onCompleted();
  }

  @Override
  public void setDesiredReplicas(
      SetDesiredReplicasRequest request, StreamObserver<SetDesiredReplicasResponse> response) {
    if (refuseSets) {
      refusedSets.merge(request.getApi(), 1, Integer::sum);
      response.onError(Status.UNAVAILABLE.withDescription("fake operator away").asException());
      return;
    }
    Api a = apis.get(request.getApi());
    if (a == null) {
      response.onError(
          Status.NOT_FOUND.withDescription("no API " + request.getApi()).asException());
      return;
    }
    int applied =
        Math.max(
            a.spec().getMinReplicas(), Math.min(a.spec().getMaxReplicas(), request.getReplicas()));
    accepted.add(
        new SetCall(request.getApi(), applied, request.getReason(), System.currentTimeMillis()));
    if (a.follows()) {
      apis.put(request.getApi(), new Api(a.spec(), applied, applied, true));
    }
    response.onNext(SetDesiredReplicasResponse.newBuilder().setAppliedReplicas(applied).build());
    response.onCompleted();
  }

  @Override
  public void wakeUp(WakeUpRequest request, StreamObserver<WakeUpResponse> response) {
    setReplicas(request.getApi(), 1);
    response.onNext(WakeUpResponse.newBuilder().setDesiredReplicas(1).build());
    response.onCompleted();
  }
}
