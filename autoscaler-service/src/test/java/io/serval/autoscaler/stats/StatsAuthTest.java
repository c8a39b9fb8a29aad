package io.serval.autoscaler.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.serval.autoscaler.aggregation.InFlightAggregator;
import io.serval.autoscaler.fakes.FakeOperatorResource;
import io.serval.autoscaler.fakes.FakeRouter;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Stats service takes in-flight reports only from callers with the platform token. */
@QuarkusTest
@QuarkusTestResource(FakeOperatorResource.class)
class StatsAuthTest {

  @Inject InFlightAggregator aggregator;

  @Test
  void aReportWithoutTheTokenIsUnauthenticatedAndNotCounted() throws Exception {
    Status status = refused(Optional.empty());
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(status.getDescription())
        .contains("missing platform credential", "authorization: Bearer");
  }

  @Test
  void aReportWithAWrongTokenIsUnauthenticated() throws Exception {
    Status status = refused(Optional.of("not-the-platform-token-at-all"));
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(status.getDescription()).contains("invalid platform credential");
  }

  @Test
  void aReportWithTheTokenIsCounted() throws Exception {
    try (FakeRouter r = new FakeRouter("router-auth-ok", FakeOperatorResource.statsPort())) {
      r.set("auth-ok", 7).startReporting();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> aggregator.lastActive("auth-ok").isPresent());
      assertThat(r.result.isCompletedExceptionally()).isFalse();
    }
  }

  private Status refused(Optional<String> token) throws Exception {
    String id = "router-auth-" + token.map(t -> "wrong").orElse("none");
    try (FakeRouter r = new FakeRouter(id, FakeOperatorResource.statsPort(), token)) {
      String api = id + "-api";
      r.set(api, 50).startReporting();
      ExecutionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class, () -> r.result.get(20, TimeUnit.SECONDS));
      assertThat(aggregator.lastActive(api)).isEmpty();
      return Status.fromThrowable(e.getCause());
    }
  }
}
