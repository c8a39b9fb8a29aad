package io.serval.router.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.v2.V2Exception;
import org.junit.jupiter.api.Test;

class JobLimitsTest {
  private final JobLimits limits = new JobLimits(1 << 20, 10, 100, 1000, 8, 64, 3, 10);

  @Test
  void absentParametersTakeTheDefaults() {
    assertThat(limits.resolve((String) null, null, null))
        .isEqualTo(new JobLimits.Parameters(100, 8, 3));
    assertThat(limits.resolve(" 5 ", "1", "0")).isEqualTo(new JobLimits.Parameters(5, 1, 0));
    assertThat(limits.resolve(1000, 64, 10)).isEqualTo(new JobLimits.Parameters(1000, 64, 10));
  }

  @Test
  void aParameterOutOfItsBoundsIsRefusedNamingIt() {
    assertThatThrownBy(() -> limits.resolve("1001", null, null))
        .isInstanceOf(V2Exception.class)
        .hasMessageContaining("batchSize must be between 1 and 1000");
    assertThatThrownBy(() -> limits.resolve(null, "0", null)).hasMessageContaining("parallelism");
    assertThatThrownBy(() -> limits.resolve(null, null, "-1")).hasMessageContaining("maxRetries");
    assertThatThrownBy(() -> limits.resolve("ten", null, null))
        .hasMessageContaining("batchSize must be an integer");
  }

  @Test
  void theSettingsThemselvesAreBounded() {
    assertThatThrownBy(() -> new JobLimits(1 << 20, 10, 2000, 1000, 8, 64, 3, 10))
        .hasMessageContaining("default-batch-size");
    assertThatThrownBy(() -> new JobLimits(10, 10, 100, 1000, 8, 64, 3, 10))
        .hasMessageContaining("max-input-bytes");
    assertThatThrownBy(() -> new JobLimits(1 << 20, 10, 100, 1000, 8, 64, 3, 101))
        .hasMessageContaining("max-max-retries");
  }
}
