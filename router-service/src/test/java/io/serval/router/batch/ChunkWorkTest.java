package io.serval.router.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.store.ChunkPlan;
import io.serval.store.ClaimedChunk;
import io.serval.store.ItemOutcome;
import org.junit.jupiter.api.Test;

class ChunkWorkTest {
  private final ChunkWork chunk =
      new ChunkWork(new ClaimedChunk("j", new ChunkPlan(2, 20, 3, 0), 1));

  @Test
  void itemsAreReadInOrderThenTheChunkIsReadThrough() {
    assertThat(chunk.nextIndex()).isEqualTo(20);
    assertThat(chunk.nextIndex()).isEqualTo(21);
    assertThat(chunk.unread()).isTrue();
    assertThat(chunk.nextIndex()).isEqualTo(22);
    assertThat(chunk.unread()).isFalse();
    assertThatThrownBy(chunk::nextIndex).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theChunkIsCompleteWhenEveryItemHasExactlyOneOutcome() {
    assertThat(chunk.record(ItemOutcome.success(21, new byte[0], 1))).isTrue();
    assertThat(chunk.record(ItemOutcome.failure(21, "again", 1))).as("twice").isFalse();
    assertThat(chunk.record(ItemOutcome.failure(23, "other chunk", 1))).isFalse();
    assertThat(chunk.record(ItemOutcome.failure(19, "other chunk", 1))).isFalse();
    assertThat(chunk.complete()).isFalse();
    chunk.record(ItemOutcome.failure(20, "bad", 0));
    chunk.record(ItemOutcome.success(22, new byte[0], 2));
    assertThat(chunk.complete()).isTrue();
    assertThat(chunk.outcomes()).hasSize(3);
    assertThat(chunk.failures()).extracting(ItemOutcome::index).containsExactly(20L);
  }

  @Test
  void outcomesComeInIndexOrderForThePart() {
    chunk.record(ItemOutcome.success(22, new byte[0], 1));
    chunk.record(ItemOutcome.failure(20, "bad", 0));
    chunk.record(ItemOutcome.success(21, new byte[0], 1));

    assertThat(chunk.outcomesInOrder())
        .extracting(ItemOutcome::index)
        .containsExactly(20L, 21L, 22L);
  }
}
