package io.serval.predictor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.proto.inference.InferBatchStatistics;
import io.serval.proto.inference.InferStatistics;
import io.serval.proto.inference.ModelStatistics;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class InferenceStatisticsTest {
  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_123L), ZoneOffset.UTC);
  private final InferenceStatistics stats = new InferenceStatistics(clock);

  @Test
  void startsEmpty() {
    ModelStatistics m = stats.snapshot("add", "7");
    assertThat(m.getName()).isEqualTo("add");
    assertThat(m.getVersion()).isEqualTo("7");
    assertThat(m.getLastInference()).isZero();
    assertThat(m.getInferenceCount()).isZero();
    assertThat(m.getInferenceStats().getSuccess().getCount()).isZero();
    assertThat(m.getBatchStatsList()).isEmpty();
  }

  @Test
  void accumulatesRequestsQueueAndPhasesPerRequestAndPerBatchSize() {
    stats.queued(100);
    stats.queued(300);
    // One batch of two requests, 3 rows in all.
    stats.executed(2, 3, 10, 50, 5);
    stats.request(true, 1_000);
    stats.request(true, 2_000);
    stats.request(false, 400);
    stats.queued(7);
    stats.executed(1, 3, 20, 60, 6);

    ModelStatistics m = stats.snapshot("add", "");
    InferStatistics s = m.getInferenceStats();
    assertThat(s.getSuccess().getCount()).isEqualTo(2);
    assertThat(s.getSuccess().getNs()).isEqualTo(3_000);
    assertThat(s.getFail().getCount()).isEqualTo(1);
    assertThat(s.getFail().getNs()).isEqualTo(400);
    assertThat(s.getQueue().getCount()).isEqualTo(3);
    assertThat(s.getQueue().getNs()).isEqualTo(407);
    // Each request is charged its batch's phases.
    assertThat(s.getComputeInput().getCount()).isEqualTo(3);
    assertThat(s.getComputeInput().getNs()).isEqualTo(2 * 10 + 20);
    assertThat(s.getComputeInfer().getNs()).isEqualTo(2 * 50 + 60);
    assertThat(s.getComputeOutput().getNs()).isEqualTo(2 * 5 + 6);
    assertThat(m.getExecutionCount()).isEqualTo(2);
    assertThat(m.getInferenceCount()).isEqualTo(6);
    assertThat(m.getLastInference()).isEqualTo(1_700_000_000_123L);
    // Both batches had 3 rows: one entry, two executions.
    assertThat(m.getBatchStatsList()).hasSize(1);
    InferBatchStatistics b = m.getBatchStats(0);
    assertThat(b.getBatchSize()).isEqualTo(3);
    assertThat(b.getComputeInfer().getCount()).isEqualTo(2);
    assertThat(b.getComputeInfer().getNs()).isEqualTo(110);
  }

  @Test
  void batchSizesAreListedInOrder() {
    stats.executed(1, 4, 1, 1, 1);
    stats.executed(1, 1, 1, 1, 1);
    assertThat(stats.snapshot("m", "").getBatchStatsList())
        .extracting(InferBatchStatistics::getBatchSize)
        .containsExactly(1L, 4L);
  }

  @Test
  void negativeDurationsCountAsZero() {
    stats.request(true, -5);
    assertThat(stats.snapshot("m", "").getInferenceStats().getSuccess().getNs()).isZero();
  }
}
