-- Batch jobs (docs/async-and-batch.md, "Batch jobs"). Times are epoch milliseconds.
CREATE TABLE batch_job (
  id TEXT PRIMARY KEY,
  api TEXT NOT NULL,
  status TEXT NOT NULL,
  batch_size INTEGER NOT NULL,
  parallelism INTEGER NOT NULL,
  max_retries INTEGER NOT NULL,
  input_uri TEXT NOT NULL,
  output_uri TEXT NOT NULL,
  failures_uri TEXT NOT NULL,
  -- null until the input has been read through once
  total INTEGER,
  done INTEGER NOT NULL,
  succeeded INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  error TEXT,
  files_written INTEGER NOT NULL,
  -- job-level work (planning, writing the files) is claimed and fenced like a chunk
  job_claims INTEGER NOT NULL,
  job_owner TEXT,
  job_lease_until INTEGER
);
CREATE INDEX batch_job_status ON batch_job (status, created_at);
CREATE INDEX batch_job_created ON batch_job (created_at);

CREATE TABLE batch_chunk (
  job_id TEXT NOT NULL,
  idx INTEGER NOT NULL,
  first_item INTEGER NOT NULL,
  items INTEGER NOT NULL,
  byte_offset INTEGER NOT NULL,
  state TEXT NOT NULL,
  -- every claim: fences the completion, so only the latest holder commits the outcomes
  claims INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER,
  PRIMARY KEY (job_id, idx)
);
CREATE INDEX batch_chunk_owner ON batch_chunk (lease_owner);

CREATE TABLE batch_outcome (
  job_id TEXT NOT NULL,
  item INTEGER NOT NULL,
  succeeded INTEGER NOT NULL,
  response BLOB NOT NULL,
  error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  PRIMARY KEY (job_id, item)
);

CREATE TABLE batch_log (
  job_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (job_id, seq)
);
