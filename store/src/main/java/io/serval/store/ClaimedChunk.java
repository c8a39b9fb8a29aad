package io.serval.store;

/**
 * A chunk taken by a router under a lease.
 *
 * @param jobId its job
 * @param plan where its items are
 * @param attempt which claim of the chunk this is (1 for the first); it fences the chunk's
 *     completion: only the holder of the latest claim can commit its outcomes
 */
public record ClaimedChunk(String jobId, ChunkPlan plan, int attempt) {}
