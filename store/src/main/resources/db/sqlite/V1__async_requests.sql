-- Async requests (docs/async-and-batch.md). Times are epoch milliseconds.
CREATE TABLE async_request (
  id TEXT PRIMARY KEY,
  api TEXT NOT NULL,
  state TEXT NOT NULL,
  content_type TEXT NOT NULL,
  accept TEXT NOT NULL,
  body BLOB NOT NULL,
  -- claims that did not hand the request back: what maxAttempts bounds
  attempts INTEGER NOT NULL,
  -- every claim: fences results, so only the latest holder writes one
  claims INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER,
  created_at INTEGER NOT NULL,
  finished_at INTEGER,
  expires_at INTEGER,
  response_type TEXT,
  response BLOB,
  reason TEXT
);
-- The claim: an API's pending and lapsed requests, oldest first.
CREATE INDEX async_request_queue ON async_request (api, state, created_at);
CREATE INDEX async_request_expiry ON async_request (expires_at);
