-- A chunk's results lines now go to a part file next to the job's output, written and made durable
-- before the chunk is committed (docs/async-and-batch.md, "Outcomes"): the store keeps the counts and
-- the failed items (for the failures file) only. Jobs are not carried over an upgrade mid-run: the
-- batch jobs of issue 14 were not released with outcomes in the store.
DROP TABLE batch_outcome;

CREATE TABLE batch_failure (
  job_id VARCHAR(128) NOT NULL,
  item BIGINT NOT NULL,
  error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  PRIMARY KEY (job_id, item)
);
