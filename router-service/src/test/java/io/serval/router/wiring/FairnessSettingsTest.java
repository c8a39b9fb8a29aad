package io.serval.router.wiring;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FairnessSettingsTest {
  private static final Duration TWO_S = Duration.ofSeconds(2);

  @Test
  void theDefaultsAndTheBoundsAreAccepted() {
    assertThatCode(() -> FairnessSettings.check(TWO_S, Duration.ofSeconds(30), 1))
        .doesNotThrowAnyException();
    assertThatCode(() -> FairnessSettings.check(Duration.ZERO, Duration.ofSeconds(1), 0))
        .doesNotThrowAnyException();
    assertThatCode(() -> FairnessSettings.check(TWO_S, Duration.ofHours(1), 1000))
        .doesNotThrowAnyException();
  }

  @Test
  void aValueOutOfItsRangeIsRefusedNamingTheProperty() {
    assertThatThrownBy(() -> FairnessSettings.check(Duration.ofSeconds(-1), TWO_S, 1))
        .hasMessageContaining("serval.router.async.max-background-wait");
    assertThatThrownBy(() -> FairnessSettings.check(TWO_S, Duration.ofMillis(999), 1))
        .hasMessageContaining("serval.router.async.realtime-window");
    assertThatThrownBy(() -> FairnessSettings.check(TWO_S, Duration.ofMinutes(61), 1))
        .hasMessageContaining("serval.router.async.realtime-window");
    assertThatThrownBy(() -> FairnessSettings.check(TWO_S, TWO_S, -1))
        .hasMessageContaining("serval.router.async.realtime-headroom");
    assertThatThrownBy(() -> FairnessSettings.check(TWO_S, TWO_S, 1001))
        .hasMessageContaining("serval.router.async.realtime-headroom");
  }
}
