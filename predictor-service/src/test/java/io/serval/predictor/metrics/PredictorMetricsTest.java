package io.serval.predictor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.serval.v2.V2Exception;
import org.junit.jupiter.api.Test;

class PredictorMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final PredictorMetrics metrics = new PredictorMetrics(registry, "a", "r1");

  @Test
  void eachProtocolCountsInItsOwnCodes() {
    metrics.finished(Protocol.REST, null, 1_000);
    metrics.finished(Protocol.REST, V2Exception.Kind.PAYLOAD_TOO_LARGE, 1_000);
    metrics.finished(Protocol.REST, V2Exception.Kind.UNAVAILABLE, 1_000);
    metrics.finished(Protocol.GRPC, null, 1_000);
    metrics.finished(Protocol.GRPC, V2Exception.Kind.PAYLOAD_TOO_LARGE, 1_000);
    metrics.finished(Protocol.GRPC, V2Exception.Kind.CANCELLED, 1_000);

    assertThat(count("rest", "200")).isEqualTo(1);
    assertThat(count("rest", "413")).isEqualTo(1);
    assertThat(count("rest", "503")).isEqualTo(1);
    assertThat(count("grpc", "OK")).isEqualTo(1);
    assertThat(count("grpc", "RESOURCE_EXHAUSTED")).isEqualTo(1);
    assertThat(count("grpc", "CANCELLED")).isEqualTo(1);
  }

  @Test
  void endToEndLatencyIsTimedPerProtocolFailuresIncluded() {
    metrics.finished(Protocol.REST, null, 3_000_000);
    metrics.finished(Protocol.REST, V2Exception.Kind.INVALID_ARGUMENT, 1_000_000);
    metrics.finished(Protocol.GRPC, null, 2_000_000);

    var rest =
        registry
            .get("serval.predictor.request.duration")
            .tags("api", "a", "revision", "r1", "protocol", "rest")
            .timer();
    assertThat(rest.count()).isEqualTo(2);
    assertThat(rest.max(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(3.0);
    assertThat(
            registry
                .get("serval.predictor.request.duration")
                .tags("protocol", "grpc")
                .timer()
                .count())
        .isEqualTo(1);
  }

  private double count(String protocol, String code) {
    return registry
        .get("serval.predictor.requests")
        .tags("api", "a", "revision", "r1", "protocol", protocol, "code", code)
        .counter()
        .count();
  }
}
