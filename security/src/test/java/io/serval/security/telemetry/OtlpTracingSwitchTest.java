package io.serval.security.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpTracingSwitchTest {

  private static OtlpTracingSwitch with(Map<String, String> props, Map<String, String> env) {
    return new OtlpTracingSwitch(props::get, env::get, true);
  }

  @Test
  void leavesAnApplicationWithoutTheOpenTelemetryExtensionAlone() {
    OtlpTracingSwitch s =
        new OtlpTracingSwitch(
            Map.<String, String>of()::get,
            Map.of("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")::get,
            false);
    assertThat(s.getPropertyNames()).isEmpty();
  }

  @Test
  void seesWhetherTheExtensionIsThere() {
    // This library's tests do not have the extension; the services' do (TracingIT).
    assertThat(OtlpTracingSwitch.onClasspath(OtlpTracingSwitch.EXTENSION_CLASS)).isFalse();
    assertThat(OtlpTracingSwitch.onClasspath(OtlpTracingSwitch.class.getName())).isTrue();
  }

  @Test
  void saysNothingWithoutAnEndpoint() {
    OtlpTracingSwitch s = with(Map.of(), Map.of("PATH", "/usr/bin"));
    assertThat(s.getValue(OtlpTracingSwitch.SDK_DISABLED)).isNull();
    assertThat(s.getPropertyNames()).isEmpty();
  }

  @Test
  void turnsTheSdkOnForAnEndpointInTheEnvironment() {
    OtlpTracingSwitch s =
        with(Map.of(), Map.of("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"));
    assertThat(s.getValue(OtlpTracingSwitch.SDK_DISABLED)).isEqualTo("false");
  }

  @Test
  void turnsTheSdkOnForATracesEndpointSystemProperty() {
    OtlpTracingSwitch s =
        with(
            Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:4317"),
            Map.of());
    assertThat(s.getValue(OtlpTracingSwitch.SDK_DISABLED)).isEqualTo("false");
  }

  @Test
  void aBlankEndpointLeavesItOff() {
    OtlpTracingSwitch s = with(Map.of(), Map.of("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", " "));
    assertThat(s.getValue(OtlpTracingSwitch.SDK_DISABLED)).isNull();
  }

  @Test
  void ranksAboveApplicationPropertiesAndBelowTheEnvironment() {
    assertThat(with(Map.of(), Map.of()).getOrdinal()).isBetween(251, 299);
  }

  @Test
  void mapsPropertiesToEnvironmentNames() {
    assertThat(OtlpTracingSwitch.envName("quarkus.otel.exporter.otlp.traces.endpoint"))
        .isEqualTo("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  }
}
