-- Async requests (docs/async-and-batch.md). Times are epoch milliseconds.
CREATE TABLE async_request (
  id VARCHAR(128) PRIMARY KEY,
  api TEXT NOT NULL,
  state TEXT NOT NULL,
  content_type TEXT NOT NULL,
  accept TEXT NOT NULL,
  body BYTEA NOT NULL,
  -- claims that did not hand the request back: what maxAttempts bounds
  attempts INTEGER NOT NULL,
  -- every claim: fences results, so only the latest holder writes one
  claims INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until BIGINT,
  created_at BIGINT NOT NULL,
  finished_at BIGINT,
  expires_at BIGINT,
  response_type TEXT,
  response BYTEA,
  reason TEXT
);
-- The claim: an API's pending and lapsed requests, oldest first.
CREATE INDEX async_request_queue ON async_request (api, state, created_at);
CREATE INDEX async_request_expiry ON async_request (expires_at);
