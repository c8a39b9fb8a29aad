package io.serval.security.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.security.telemetry.OtlpTraceExport.Protocol;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpTraceExportTest {

  private static OtlpTraceExport from(Map<String, String> config) {
    return OtlpTraceExport.from(config::get);
  }

  @Test
  void defaultsToQuarkusDefaults() {
    OtlpTraceExport e = from(Map.of());
    assertThat(e.protocol()).isEqualTo(Protocol.GRPC);
    assertThat(e.endpoint()).isEqualTo(URI.create("http://localhost:4317"));
    assertThat(e.headers()).isEmpty();
    assertThat(e.gzip()).isFalse();
    assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void takesTheGeneralEndpoint() {
    OtlpTraceExport e =
        from(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector.monitoring:4317/"));
    assertThat(e.protocol()).isEqualTo(Protocol.GRPC);
    assertThat(e.endpoint()).isEqualTo(URI.create("http://collector.monitoring:4317"));
  }

  @Test
  void theTracesFormOfAKeyWins() {
    OtlpTraceExport e =
        from(
            Map.of(
                "quarkus.otel.exporter.otlp.endpoint", "http://general:4317",
                "quarkus.otel.exporter.otlp.traces.endpoint", "https://traces:4317",
                "quarkus.otel.exporter.otlp.timeout", "3s",
                "quarkus.otel.exporter.otlp.traces.timeout", "500ms",
                "quarkus.otel.exporter.otlp.compression", "none",
                "quarkus.otel.exporter.otlp.traces.compression", "gzip"));
    assertThat(e.endpoint()).isEqualTo(URI.create("https://traces:4317"));
    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(e.gzip()).isTrue();
  }

  @Test
  void httpProtobufPostsToTheTracesPathUnderTheBase() {
    OtlpTraceExport e =
        from(
            Map.of(
                "quarkus.otel.exporter.otlp.protocol", "http/protobuf",
                "quarkus.otel.exporter.otlp.endpoint", "http://collector:4318/"));
    assertThat(e.protocol()).isEqualTo(Protocol.HTTP_PROTOBUF);
    assertThat(e.endpoint()).isEqualTo(URI.create("http://collector:4318/v1/traces"));
  }

  @Test
  void readsHeadersAsQuarkusListsThem() {
    OtlpTraceExport e =
        from(Map.of("quarkus.otel.exporter.otlp.headers", "api-key=abc=def, x-tenant = t1"));
    assertThat(e.headers())
        .containsOnly(Map.entry("api-key", "abc=def"), Map.entry("x-tenant", "t1"));
  }

  @Test
  void readsDurationsInQuarkusSyntax() {
    assertThat(OtlpTraceExport.duration("7", null)).isEqualTo(Duration.ofSeconds(7));
    assertThat(OtlpTraceExport.duration("2m", null)).isEqualTo(Duration.ofMinutes(2));
    assertThat(OtlpTraceExport.duration("PT1.5S", null)).isEqualTo(Duration.ofMillis(1500));
    assertThat(OtlpTraceExport.duration("1.5s", null)).isEqualTo(Duration.ofMillis(1500));
    assertThat(OtlpTraceExport.duration(" ", Duration.ZERO)).isEqualTo(Duration.ZERO);
  }

  @Test
  void refusesWhatQuarkusRefuses() {
    assertThatThrownBy(() -> from(Map.of("quarkus.otel.exporter.otlp.protocol", "http/json")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http/json");
    assertThatThrownBy(() -> from(Map.of("quarkus.otel.exporter.otlp.compression", "zstd")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zstd");
    assertThatThrownBy(() -> from(Map.of("quarkus.otel.exporter.otlp.headers", "no-value")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no-value");
  }
}
