package io.serval.router.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.store.ChunkPlan;
import io.serval.store.ClaimedChunk;
import java.net.URI;
import org.junit.jupiter.api.Test;

class ChunkPartsTest {
  @Test
  void aPartLivesNextToTheOutputNamedByItsChunkAndClaim() {
    ClaimedChunk chunk = new ClaimedChunk("j", new ChunkPlan(7, 700, 100, 0), 2);

    assertThat(ChunkParts.of("s3://bucket/out/results.jsonl", chunk))
        .isEqualTo(URI.create("s3://bucket/out/results.jsonl.chunk-7.claim-2"));
    assertThat(ChunkParts.of("file:/jobs/j/results.jsonl", chunk))
        .isEqualTo(URI.create("file:/jobs/j/results.jsonl.chunk-7.claim-2"));
    assertThat(ChunkParts.of("s3://b/r.jsonl", 7, 3))
        .as("another claim of the same chunk writes another part")
        .isNotEqualTo(ChunkParts.of("s3://b/r.jsonl", chunk));
  }
}
