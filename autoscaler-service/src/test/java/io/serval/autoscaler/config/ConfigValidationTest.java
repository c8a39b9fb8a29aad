package io.serval.autoscaler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigValidationTest {

  private record Config(
      Duration tick,
      String operatorAddress,
      Duration operatorCallTimeout,
      Duration redeliveryInterval,
      Duration sampleMaxAge,
      Duration sampleRetention,
      boolean panicOnReport)
      implements AutoscalerConfig {}

  private static Config good() {
    return new Config(
        Duration.ofSeconds(10),
        "localhost:8091",
        Duration.ofSeconds(2),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofMinutes(15),
        false);
  }

  @Test
  void defaultsAreValid() {
    assertThat(ConfigValidation.problems(good())).isEmpty();
  }

  @Test
  void everyBadValueIsNamed() {
    Config bad =
        new Config(
            Duration.ofMillis(500),
            "localhost",
            Duration.ZERO,
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            false);
    assertThatThrownBy(() -> ConfigValidation.check(bad))
        .hasMessageContaining("serval.autoscaler.tick")
        .hasMessageContaining("serval.autoscaler.operator-address")
        .hasMessageContaining("serval.autoscaler.operator-call-timeout")
        .hasMessageContaining("serval.autoscaler.sample-max-age")
        .hasMessageContaining("serval.autoscaler.sample-retention");
  }

  @Test
  void parsesHostAndPort() {
    assertThat(OperatorAddress.parse("operator.serval:8091"))
        .isEqualTo(new OperatorAddress("operator.serval", 8091));
    assertThat(OperatorAddress.parse("[::1]:8091")).isEqualTo(new OperatorAddress("::1", 8091));
    assertThatThrownBy(() -> OperatorAddress.parse("host:99999")).hasMessageContaining("1..65535");
  }
}
