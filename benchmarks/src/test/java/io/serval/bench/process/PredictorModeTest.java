package io.serval.bench.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PredictorModeTest {

  @Test
  void plainModesTakeTheRunDefaults() {
    PredictorMode off = PredictorMode.parse("off", 2, 1, 32, "2ms");
    assertThat(off.settings())
        .containsEntry("workers", "2")
        .containsEntry("threads-per-worker", "1")
        .containsEntry("batching.max-batch-size", "1");
    assertThat(PredictorMode.parse("on", 2, 1, 32, "2ms").settings())
        .containsEntry("batching.max-batch-size", "32")
        .containsEntry("batching.max-queue-delay", "2ms");
  }

  @Test
  void partsOverrideTheDefaults() {
    PredictorMode m = PredictorMode.parse("on:1x2:b64:d1ms", 2, 1, 32, "2ms");
    assertThat(m.settings())
        .containsEntry("workers", "1")
        .containsEntry("threads-per-worker", "2")
        .containsEntry("batching.max-batch-size", "64")
        .containsEntry("batching.max-queue-delay", "1ms");
    assertThat(m.label()).isEqualTo("on:1x2:b64:d1ms");
    assertThat(m.baseline()).isFalse();
    assertThat(PredictorMode.parse("off:base", 2, 1, 32, "2ms").baseline()).isTrue();
    assertThat(m.fileName()).isEqualTo("on-1x2-b64-d1ms");
  }

  @Test
  void refusesWhatItCannotRead() {
    assertThatThrownBy(() -> PredictorMode.parse("maybe", 2, 1, 32, "2ms"))
        .hasMessageContaining("starts with on or off");
    assertThatThrownBy(() -> PredictorMode.parse("on:fast", 2, 1, 32, "2ms"))
        .hasMessageContaining("unknown part 'fast'");
    assertThatThrownBy(() -> PredictorMode.parse("on:0x2", 2, 1, 32, "2ms"))
        .hasMessageContaining(">= 1");
  }
}
