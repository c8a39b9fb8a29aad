package io.serval.router.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.proto.control.RouteSnapshot;
import org.junit.jupiter.api.Test;

class RouteSnapshotFilesTest {

  @Test
  void readsTheYamlForm() {
    RouteSnapshot s =
        RouteSnapshotFiles.parse(
            """
            version: 3
            apis:
              - name: minilm
                modelName: model
                limits: {maxConcurrency: 8, maxQueueLength: 100, timeout: 10s}
                asyncResultTtl: 2h
                revisions:
                  - revision: r1
                    trafficPercent: 100
                    endpoints: [{address: "localhost:9001"}]
            splitters:
              - name: classifier
                targets:
                  - {api: minilm, weight: 100}
            """,
            "test.yaml");
    assertThat(s.getVersion()).isEqualTo(3);
    assertThat(s.getApis(0).getLimits().getTimeout().getSeconds()).isEqualTo(10);
    assertThat(s.getApis(0).getAsyncResultTtl().getSeconds()).isEqualTo(7200);
    assertThat(s.getApis(0).getRevisions(0).getEndpoints(0).getAddress())
        .isEqualTo("localhost:9001");
    assertThat(RouteTable.from(s).knows("classifier")).isTrue();
  }

  @Test
  void readsTheJsonFormWithSnakeCaseNames() {
    RouteSnapshot s =
        RouteSnapshotFiles.parse(
            "{\"apis\": [{\"name\": \"a\", \"model_name\": \"m\", \"scaled_to_zero\": true,"
                + " \"limits\": {\"timeout\": \"250ms\"}}]}",
            "r.json");
    assertThat(s.getApis(0).getModelName()).isEqualTo("m");
    assertThat(s.getApis(0).getScaledToZero()).isTrue();
    assertThat(s.getApis(0).getLimits().getTimeout().getNanos()).isEqualTo(250_000_000);
  }

  @Test
  void namesTheFileAndTheProblem() {
    assertThatThrownBy(() -> RouteSnapshotFiles.parse("apis: [{nme: x}]", "bad.yaml"))
        .hasMessageContaining("bad.yaml")
        .hasMessageContaining("nme");
  }
}
