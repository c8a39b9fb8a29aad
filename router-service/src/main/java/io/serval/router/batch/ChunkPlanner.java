package io.serval.router.batch;

import io.serval.store.ChunkPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a job's items into chunks of {@code batchSize} as its input is read through once: each chunk
 * knows its first item and the byte offset of that item's line, so that a router holding it starts
 * reading there. Pure.
 */
final class ChunkPlanner {
  private final int batchSize;
  private final List<ChunkPlan> chunks = new ArrayList<>();
  private long total;
  private long chunkOffset;
  private int inChunk;

  ChunkPlanner(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
    }
    this.batchSize = batchSize;
  }

  /** The next item, whose line starts at {@code offset}. */
  void item(long offset) {
    if (inChunk == 0) {
      chunkOffset = offset;
    }
    inChunk++;
    total++;
    if (inChunk == batchSize) {
      close();
    }
  }

  private void close() {
    chunks.add(new ChunkPlan(chunks.size(), total - inChunk, inChunk, chunkOffset));
    inChunk = 0;
  }

  /** Items seen. */
  long total() {
    return total;
  }

  /** The chunks, the last one possibly short. */
  List<ChunkPlan> chunks() {
    if (inChunk > 0) {
      close();
    }
    return List.copyOf(chunks);
  }
}
