package io.serval.router.batch;

import io.serval.store.ClaimedChunk;
import java.net.URI;

/**
 * Where a chunk's part of the results file lives: next to the job's output (the job directory for a
 * local output, the output's bucket for {@code s3://}), named by the chunk and the claim that wrote
 * it. The claim in the name keeps a part written by a holder whose lease ran out apart from the one
 * its successor writes; the store says which claim completed the chunk, so the results file is made
 * of exactly those parts and a partial or superseded part is never read. Pure.
 */
final class ChunkParts {
  private ChunkParts() {}

  /** The part of {@code chunk}'s claim, for a job whose results go to {@code output}. */
  static URI of(String output, ClaimedChunk chunk) {
    return of(output, chunk.plan().chunk(), chunk.attempt());
  }

  static URI of(String output, int chunk, int claim) {
    return URI.create(output + ".chunk-" + chunk + ".claim-" + claim);
  }
}
