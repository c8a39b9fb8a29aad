package io.serval.router.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.serval.router.routing.RouteTable;
import io.serval.router.routing.RouteTableHolder;
import io.serval.v2.V2Exception;
import org.junit.jupiter.api.Test;

class UnknownTargetTest {

  @Test
  void beforeTheFirstRoutesANameIsUnavailableSoClientsRetryIt() {
    RouteTableHolder routes = new RouteTableHolder();

    Status status = UnknownTarget.status(routes, "minilm");

    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getDescription()).contains("no routes yet", "'minilm'");
    // REST answers it 503 (with Retry-After, as every 503 of the router), which clients retry
    assertThat(V2Exception.fromStatus(status).httpStatus()).isEqualTo(503);
  }

  @Test
  void onceRoutesArrivedAnUnknownNameIsNotFound() {
    RouteTableHolder routes = new RouteTableHolder();
    routes.swap(RouteTable.EMPTY);

    Status status = UnknownTarget.status(routes, "minilm");

    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).isEqualTo("no API or traffic splitter named 'minilm'");
    assertThat(V2Exception.fromStatus(status).httpStatus()).isEqualTo(404);
  }
}
