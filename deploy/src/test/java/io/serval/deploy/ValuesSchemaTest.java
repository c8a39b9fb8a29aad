package io.serval.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json: helm refuses bad values before it renders anything; good ones pass. */
class ValuesSchemaTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "router.replicas=-1                    | router.replicas: Must be greater than or equal to 0",
        "operator.replicas=two                 | operator.replicas: Invalid type",
        "image.pullPolicy=Sometimes            | image.pullPolicy must be one of the following",
        "router.service.type=External          | router.service.type must be one of the following",
        "routerr.replicas=1                    | Additional property routerr is not allowed",
        "router.tls.enable=true                | Additional property enable is not allowed",
        "router.service.httpPort=70000         | router.service.httpPort: Must be less than or equal to 65535",
        "operator.nodeGroupPriority.spot=500   | operator.nodeGroupPriority.spot: Must be less than or equal to 100",
        "serviceMonitor.interval=often         | serviceMonitor.interval: Does not match pattern",
        "tracing.otlpEndpoint=collector:4317   | tracing.otlpEndpoint: Does not match pattern",
        "imagePullSecrets[0].name=Not_A_Name   | imagePullSecrets.0.name: Does not match pattern",
        "router.asyncStore.kind=mysql          | router.asyncStore.kind must be one of the following",
        "router.asyncStore.jdbcUrl=postgres://db | router.asyncStore.jdbcUrl: Does not match pattern",
        "router.asyncStore.maxConnections=0    | router.asyncStore.maxConnections: Must be greater than or equal to 1",
      })
  void badValuesAreRefusedByTemplateAndLint(String set, String message) {
    assertThatThrownBy(() -> Helm.template("--set", set))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(message);
    assertThatThrownBy(() -> Helm.run("lint", "--strict", Helm.CHART.toString(), "--set", set))
        .hasMessageContaining(message);
  }

  @Test
  void theDefaultsAndEveryValuesFileInTheRepositoryPass() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(Helm.DEPLOY)) {
      files =
          s.filter(p -> !p.toString().contains("/target/"))
              .filter(p -> p.getFileName().toString().matches("values.*\\.ya?ml"))
              .sorted()
              .toList();
    }
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .contains("values.yaml", "values-all-on.yaml");
    for (Path values : files) {
      assertThat(Helm.run("lint", "--strict", Helm.CHART.toString(), "--values", values.toString()))
          .as(values.toString())
          .contains("1 chart(s) linted, 0 chart(s) failed");
    }
  }
}
