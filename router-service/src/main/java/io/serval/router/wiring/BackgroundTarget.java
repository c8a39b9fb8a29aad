package io.serval.router.wiring;

import io.grpc.Status;
import io.serval.router.async.AsyncTarget;
import io.serval.router.dispatch.ApiLane;
import io.serval.router.dispatch.InferListener;
import io.serval.router.dispatch.InferenceDispatcher;
import io.serval.router.dispatch.Protocol;
import io.serval.router.routing.ApiEntry;
import io.serval.router.routing.RouteTableHolder;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Function;

/**
 * The dispatcher as the async pump and the batch runner see it: their work goes in the API's
 * background lane, behind realtime requests, counted under its own protocol label.
 *
 * @param resultTtls the API's async result TTL (only the pump writes results that expire)
 * @param protocol the metrics label of the work ({@code ASYNC} or {@code BATCH})
 */
record BackgroundTarget(
    InferenceDispatcher dispatcher,
    RouteTableHolder routes,
    Function<String, Duration> resultTtls,
    Protocol protocol)
    implements AsyncTarget {
  @Override
  public Duration resultTtl(String api) {
    return resultTtls.apply(api);
  }

  @Override
  public Collection<String> apis() {
    return routes.current().apis().stream().map(ApiEntry::name).toList();
  }

  @Override
  public int freeSlots(String api) {
    ApiLane lane = dispatcher.lane(api);
    return lane == null ? 0 : lane.backgroundRoom();
  }

  @Override
  public boolean hasUsableReplica(String api) {
    ApiLane lane = dispatcher.lane(api);
    return lane != null && lane.hasUsableReplica();
  }

  @Override
  public void submit(String id, String api, byte[] request, Done done) {
    dispatcher.submitBackground(
        id,
        api,
        request,
        new InferListener() {
          @Override
          public void onResponse(byte[] response, String servedBy) {
            done.succeeded(response);
          }

          @Override
          public void onError(Status status, String servedBy) {
            done.failed(status);
          }

          @Override
          public Protocol protocol() {
            return protocol;
          }
        });
  }
}
