package io.serval.bench.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterVariantTest {
  private static final Path THIS = Path.of("this.jar");
  private static final Path BASE = Path.of("base.jar");

  @Test
  void everyPollIntervalOnThisBuildThenOnTheBaseline() {
    List<RouterVariant> v =
        RouterVariant.of(THIS, BASE, List.of(Duration.ofMillis(100), Duration.ofMillis(5)));
    assertThat(v)
        .extracting(RouterVariant::name)
        .containsExactly("this/poll=100ms", "this/poll=5ms", "base/poll=100ms", "base/poll=5ms");
    assertThat(v).extracting(RouterVariant::jar).containsExactly(THIS, THIS, BASE, BASE);
  }

  @Test
  void theBaselineMayHaveItsOwnPollIntervals() {
    assertThat(
            RouterVariant.of(
                THIS,
                BASE,
                List.of(Duration.ofMillis(100)),
                List.of(Duration.ofMillis(100), Duration.ofMillis(5))))
        .extracting(RouterVariant::name)
        .containsExactly("this/poll=100ms", "base/poll=100ms", "base/poll=5ms");
  }

  @Test
  void withoutABaselineOnlyThisBuild() {
    assertThat(RouterVariant.of(THIS, null, List.of(Duration.ofMillis(1))))
        .extracting(RouterVariant::name)
        .containsExactly("this/poll=1ms");
  }

  @Test
  void subMillisecondIntervalsAreNamedExactly() {
    assertThat(RouterVariant.format(Duration.ofNanos(500_000))).isEqualTo("0.500ms");
  }

  @Test
  void refusesNoOrNonPositiveIntervals() {
    assertThatThrownBy(() -> RouterVariant.of(THIS, null, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RouterVariant.of(THIS, null, List.of(Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
