package io.serval.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlatformLayoutTest {

  private final Ports ports = Ports.withOffset(1000);
  private final PlatformLayout layout =
      new PlatformLayout(Path.of("/repo"), new ServalHome(Path.of("/home/u/.serval")), ports);

  @Test
  void theServicesFindEachOtherOnTheShiftedPorts() {
    assertThat(layout.service(PlatformLayout.ROUTER).properties())
        .contains(
            "serval.router.operator-address=127.0.0.1:9091",
            "serval.router.autoscaler-address=127.0.0.1:9071",
            "quarkus.http.port=9080",
            "quarkus.grpc.server.port=9081");
    assertThat(layout.service(PlatformLayout.AUTOSCALER).properties())
        .contains("serval.autoscaler.operator-address=127.0.0.1:9091", "quarkus.http.port=9070");
  }

  @Test
  void theRouterKeepsAsyncRequestsInTheServalHome() {
    assertThat(layout.service(PlatformLayout.ROUTER).properties())
        .contains("serval.router.async.store.sqlite-file=/home/u/.serval/state/async-requests.db");
  }

  @Test
  void theOperatorRunsReplicasFromTheRepositoryWithItsStateInHome() {
    ServiceSpec op = layout.service(PlatformLayout.OPERATOR);

    assertThat(op.jar())
        .isEqualTo(Path.of("/repo/operator-service/target/quarkus-app/quarkus-run.jar"));
    assertThat(op.readyUrl()).isEqualTo("http://127.0.0.1:9090/q/health/ready");
    assertThat(op.properties())
        .contains(
            "serval.operator.runtime=local",
            "serval.operator.state-dir=/home/u/.serval/state",
            "serval.operator.router-url=http://localhost:9080",
            "serval.operator.local.predictor-jar=/repo/predictor-service/target/quarkus-app/quarkus-run.jar",
            "serval.operator.local.working-dir=/repo",
            "serval.operator.local.model-roots=/repo,/home/u/.serval/models",
            "quarkus.grpc.server.port=9091");
  }

  @Test
  void anApiKeyReachesTheRouterThroughItsEnvironmentNotItsCommandLine() {
    PlatformLayout keyed =
        new PlatformLayout(
            Path.of("/repo"),
            new ServalHome(Path.of("/home/u/.serval")),
            ports,
            Optional.of("k-1"));
    ServiceSpec router = keyed.service(PlatformLayout.ROUTER);

    assertThat(router.environment()).containsEntry("SERVAL_ROUTER_ACCESS_API_KEYS", "k-1");
    assertThat(router.properties()).noneMatch(p -> p.contains("k-1"));
    assertThat(new ServiceLauncher("java", java.util.List.of(), Path.of("/repo")).command(router))
        .noneMatch(p -> p.contains("k-1"));
    assertThat(keyed.service(PlatformLayout.OPERATOR).environment()).isEmpty();
    assertThat(layout.service(PlatformLayout.ROUTER).environment()).isEmpty();
  }

  @Test
  void everyServiceGetsThePlatformToken() {
    assertThat(layout.services())
        .hasSize(3)
        .allSatisfy(
            s ->
                assertThat(s.properties())
                    .contains("serval.platform.token-file=/home/u/.serval/platform-token"));
  }

  @Test
  void servicesListenOnLoopbackOnly() {
    assertThat(layout.services())
        .allSatisfy(
            s ->
                assertThat(s.properties())
                    .contains("quarkus.http.host=127.0.0.1", "quarkus.grpc.server.host=127.0.0.1"));
  }
}
