package io.serval.operator.routes;

import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.serval.proto.control.RouteSnapshot;
import io.serval.proto.control.RoutesGrpc;
import io.serval.proto.control.WatchRoutesRequest;
import jakarta.inject.Inject;

/** serval.control.v1.Routes: routers watch the route snapshot. */
@GrpcService
public class RoutesGrpcService extends RoutesGrpc.RoutesImplBase {

  @Inject RoutePublisher publisher;

  @Override
  public void watchRoutes(WatchRoutesRequest request, StreamObserver<RouteSnapshot> observer) {
    String id = request.getRouterId().isBlank() ? "(unnamed)" : request.getRouterId();
    publisher.subscribe(id, observer);
  }
}
