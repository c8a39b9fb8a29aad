package io.serval.store;

/**
 * A job taken under a lease for its job-level work: reading its input through and planning its
 * chunks (while pending), or writing its files (once every item has an outcome, or it was
 * cancelled).
 *
 * @param jobId the job
 * @param claim which job-level claim this is; it fences {@code plan}, {@code finish} and {@code
 *     failJob}
 */
public record JobClaim(String jobId, int claim) {}
