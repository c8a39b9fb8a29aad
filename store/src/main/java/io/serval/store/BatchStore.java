package io.serval.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The durable store of batch jobs. Every method commits before it returns. A job's items are cut
 * into chunks of {@code batchSize} when its input is first read through; routers claim chunks under
 * a lease (several routers may share one job on PostgreSQL) and commit a chunk's counts and failed
 * items together with its completion, fenced by the claim: so after a crash nothing committed runs
 * again, a chunk whose holder died is claimed again when its lease runs out, and no outcome is
 * counted twice. The results lines themselves are not in the store: the runner writes each chunk's
 * to a part next to the job's output, durably, before it commits the chunk, and names the part by
 * the chunk and its claim number ({@link #doneChunks} says which claim's part counts). Job-level
 * work (planning, writing the files) is claimed and fenced the same way.
 */
public interface BatchStore {

  /**
   * Stores a new pending job.
   *
   * @throws StoreException also when the id is already taken
   */
  void create(NewBatchJob job);

  /** The job, if it exists. */
  Optional<BatchJob> find(String id);

  /** Up to {@code limit} jobs, newest first. */
  List<BatchJob> list(int limit);

  /** How many jobs are pending or running. */
  long unfinished();

  /** Jobs that are running (their items are claimed by chunks), oldest first. */
  List<BatchJob> running();

  /**
   * Cancels a pending or running job: no chunk is claimed for it any more, and no chunk completes
   * after this; false if it is finished or unknown.
   */
  boolean cancel(String id);

  /**
   * Takes up to {@code max} jobs that need job-level work and that no valid lease holds: pending
   * ones (to be planned), running ones whose items all have outcomes and cancelled ones whose files
   * are not written (to be written).
   */
  List<JobClaim> claimJobWork(String owner, Duration lease, int max);

  /**
   * Records a pending job's input as read: its item count and its chunks; the job is running from
   * then on. False (nothing written) if {@code claim} is not the job's latest claim or the job is
   * no longer pending.
   */
  boolean plan(JobClaim claim, long total, List<ChunkPlan> chunks);

  /**
   * Records that the job's files are written: a running job has succeeded (a cancelled one stays
   * cancelled), and its failed items, no longer needed, are deleted. False if fenced off.
   */
  boolean finish(JobClaim claim);

  /** The job itself could not run: failed, with the reason. False if fenced off. */
  boolean failJob(JobClaim claim, String error);

  /**
   * A running job cannot go on (a chunk's part of its results cannot be written): failed, with the
   * reason, as a cancel would stop it (no chunk is claimed or completes after this). False if it is
   * not running.
   */
  boolean failRunning(String id, String error);

  /** Hands job-level work back without waiting for its lease to run out. */
  boolean releaseJob(JobClaim claim);

  /**
   * Takes the running job's first chunk that is not done and that no valid lease holds (never
   * planned in, or its holder's lease ran out), if any.
   */
  Optional<ClaimedChunk> claimChunk(String jobId, String owner, Duration lease);

  /**
   * Commits a chunk's completion with its outcomes (one per item, in any order): adds them to the
   * job's counts and keeps the failed ones (index, reason, attempts) for the failures file; the
   * responses of succeeded items are not stored (their lines are in the chunk's part, which the
   * caller wrote before). False (nothing written) if the chunk was claimed again since, is already
   * done, or its job is no longer running.
   */
  boolean completeChunk(ClaimedChunk chunk, List<ItemOutcome> outcomes);

  /** Hands a chunk back without waiting for its lease to run out; false if fenced off. */
  boolean releaseChunk(ClaimedChunk chunk);

  /** Extends every chunk and job lease this owner holds; returns how many it holds. */
  int renew(String owner, Duration lease);

  /**
   * The job's completed chunks in order, each with the claim number that completed it (the part
   * holding its results lines is that claim's).
   */
  List<ClaimedChunk> doneChunks(String jobId);

  /**
   * Hands the job's committed failed items to {@code sink} in index order, without loading them
   * all.
   */
  void forEachFailure(String jobId, Consumer<ItemOutcome> sink);

  /**
   * Appends a line to the job's log, unless it already has {@code maxLines} (the log is bounded:
   * the last line it takes says so).
   */
  void log(String jobId, String message, int maxLines);

  /** The job's log, oldest first. */
  List<JobLogLine> logs(String jobId);

  /**
   * Deletes jobs that finished before {@code before} with everything of theirs; returns their ids
   * (so that their files can be deleted too).
   */
  List<String> purgeFinished(Instant before);
}
