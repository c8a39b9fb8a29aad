package io.serval.router.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.store.ChunkPlan;
import org.junit.jupiter.api.Test;

class ChunkPlannerTest {
  @Test
  void itemsAreCutIntoChunksOfBatchSizeWithTheOffsetOfEachChunksFirstLine() {
    ChunkPlanner p = new ChunkPlanner(3);
    long[] offsets = {0, 10, 25, 30, 41, 50, 66};
    for (long o : offsets) {
      p.item(o);
    }
    assertThat(p.total()).isEqualTo(7);
    assertThat(p.chunks())
        .containsExactly(
            new ChunkPlan(0, 0, 3, 0), new ChunkPlan(1, 3, 3, 30), new ChunkPlan(2, 6, 1, 66));
    assertThat(p.chunks()).as("asking twice changes nothing").hasSize(3);
  }

  @Test
  void anEmptyInputHasNoChunks() {
    ChunkPlanner p = new ChunkPlanner(100);
    assertThat(p.chunks()).isEmpty();
    assertThat(p.total()).isZero();
  }

  @Test
  void anExactMultipleLeavesNoShortChunk() {
    ChunkPlanner p = new ChunkPlanner(2);
    for (int i = 0; i < 4; i++) {
      p.item(i * 5L);
    }
    assertThat(p.chunks()).extracting(ChunkPlan::items).containsExactly(2, 2);
  }

  @Test
  void theBatchSizeIsAtLeastOne() {
    assertThatThrownBy(() -> new ChunkPlanner(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
