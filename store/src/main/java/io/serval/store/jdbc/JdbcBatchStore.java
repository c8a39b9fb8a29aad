package io.serval.store.jdbc;

import io.serval.store.BatchJob;
import io.serval.store.BatchStatus;
import io.serval.store.BatchStore;
import io.serval.store.ChunkPlan;
import io.serval.store.ClaimedChunk;
import io.serval.store.ItemOutcome;
import io.serval.store.JobClaim;
import io.serval.store.JobLogLine;
import io.serval.store.NewBatchJob;
import io.serval.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * {@link BatchStore} over JDBC, on SQLite or PostgreSQL, in the same database (and schema history)
 * as {@link JdbcAsyncStore}. Each call is one statement in auto-commit or one short transaction;
 * leases compare against the clock of the process that claims (see {@link JdbcAsyncStore}).
 */
public final class JdbcBatchStore implements BatchStore {
  private static final String JOB_COLUMNS =
      "id, api, status, batch_size, parallelism, max_retries, input_uri, output_uri,"
          + " failures_uri, total, done, succeeded, failed, created_at, started_at, finished_at,"
          + " error, files_written";

  private final DataSource dataSource;
  private final Clock clock;
  private final Dialect dialect;

  private JdbcBatchStore(DataSource dataSource, Clock clock, Dialect dialect) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.dialect = dialect;
  }

  /** Opens the store, creating or upgrading its tables first (Flyway). */
  public static JdbcBatchStore open(DataSource dataSource, Clock clock) {
    return new JdbcBatchStore(dataSource, clock, StoreSchema.migrate(dataSource, "batch store"));
  }

  @Override
  public void create(NewBatchJob j) {
    update(
        "INSERT INTO batch_job (id, api, status, batch_size, parallelism, max_retries, input_uri,"
            + " output_uri, failures_uri, done, succeeded, failed, created_at, files_written,"
            + " job_claims) VALUES (?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, 0, 0)",
        "create job " + j.id(),
        j.id(),
        j.api(),
        j.batchSize(),
        j.parallelism(),
        j.maxRetries(),
        j.input(),
        j.output(),
        j.failures(),
        now());
  }

  @Override
  public Optional<BatchJob> find(String id) {
    List<BatchJob> found =
        jobs("SELECT " + JOB_COLUMNS + " FROM batch_job WHERE id = ?", "read job " + id, id);
    return found.stream().findFirst();
  }

  @Override
  public List<BatchJob> list(int limit) {
    return jobs(
        "SELECT " + JOB_COLUMNS + " FROM batch_job ORDER BY created_at DESC, id DESC LIMIT ?",
        "list jobs",
        limit);
  }

  @Override
  public List<BatchJob> running() {
    return jobs(
        "SELECT "
            + JOB_COLUMNS
            + " FROM batch_job WHERE status = 'RUNNING' ORDER BY created_at, id",
        "list running jobs");
  }

  @Override
  public long unfinished() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT COUNT(*) FROM batch_job WHERE status IN ('PENDING', 'RUNNING')");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StoreException("cannot count unfinished jobs", e);
    }
  }

  @Override
  public boolean cancel(String id) {
    return update(
            "UPDATE batch_job SET status = 'CANCELLED', finished_at = ? WHERE id = ? AND status IN"
                + " ('PENDING', 'RUNNING')",
            "cancel job " + id,
            now(),
            id)
        == 1;
  }

  @Override
  public List<JobClaim> claimJobWork(String owner, Duration lease, int max) {
    long now = now();
    String sql =
        "UPDATE batch_job SET job_claims = job_claims + 1, job_owner = ?, job_lease_until = ?"
            + " WHERE id IN (SELECT id FROM batch_job WHERE (status = 'PENDING' OR (status ="
            + " 'RUNNING' AND total IS NOT NULL AND done >= total) OR (status = 'CANCELLED' AND"
            + " files_written = 0)) AND (job_lease_until IS NULL OR job_lease_until < ?) ORDER BY"
            + " created_at, id LIMIT ?"
            + dialect.skipLocked()
            + ") RETURNING id, job_claims";
    List<JobClaim> claimed = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      Statements.bind(s, owner, now + lease.toMillis(), now, max);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          claimed.add(new JobClaim(rs.getString(1), rs.getInt(2)));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot claim job work", e);
    }
    return claimed;
  }

  @Override
  public boolean plan(JobClaim claim, long total, List<ChunkPlan> chunks) {
    return inTransaction(
        "plan job " + claim.jobId(),
        c -> {
          int updated =
              Statements.update(
                  c,
                  "UPDATE batch_job SET status = 'RUNNING', total = ?, started_at = ?, job_owner ="
                      + " NULL, job_lease_until = NULL WHERE id = ? AND status = 'PENDING' AND"
                      + " job_claims = ?",
                  total,
                  now(),
                  claim.jobId(),
                  claim.claim());
          if (updated != 1) {
            return false;
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO batch_chunk (job_id, idx, first_item, items, byte_offset, state,"
                      + " claims) VALUES (?, ?, ?, ?, ?, 'PENDING', 0)")) {
            for (ChunkPlan p : chunks) {
              Statements.bind(s, claim.jobId(), p.chunk(), p.firstItem(), p.items(), p.offset());
              s.addBatch();
            }
            s.executeBatch();
          }
          return true;
        });
  }

  @Override
  public boolean finish(JobClaim claim) {
    return inTransaction(
        "finish job " + claim.jobId(),
        c -> {
          int updated =
              Statements.update(
                  c,
                  "UPDATE batch_job SET status = CASE WHEN status = 'RUNNING' THEN 'SUCCEEDED'"
                      + " ELSE status END, finished_at = COALESCE(finished_at, ?), files_written ="
                      + " 1, job_owner = NULL, job_lease_until = NULL WHERE id = ? AND status IN"
                      + " ('RUNNING', 'CANCELLED') AND files_written = 0 AND job_claims = ?",
                  now(),
                  claim.jobId(),
                  claim.claim());
          if (updated != 1) {
            return false;
          }
          Statements.update(c, "DELETE FROM batch_failure WHERE job_id = ?", claim.jobId());
          Statements.update(
              c,
              "UPDATE batch_chunk SET lease_owner = NULL, lease_until = NULL WHERE job_id = ?",
              claim.jobId());
          return true;
        });
  }

  @Override
  public boolean failJob(JobClaim claim, String error) {
    return update(
            "UPDATE batch_job SET status = 'FAILED', error = ?, finished_at = ?, job_owner = NULL,"
                + " job_lease_until = NULL WHERE id = ? AND status IN ('PENDING', 'RUNNING',"
                + " 'CANCELLED') AND files_written = 0 AND job_claims = ?",
            "fail job " + claim.jobId(),
            error,
            now(),
            claim.jobId(),
            claim.claim())
        == 1;
  }

  @Override
  public boolean failRunning(String id, String error) {
    return update(
            "UPDATE batch_job SET status = 'FAILED', error = ?, finished_at = ? WHERE id = ? AND"
                + " status = 'RUNNING'",
            "fail job " + id,
            error,
            now(),
            id)
        == 1;
  }

  @Override
  public boolean releaseJob(JobClaim claim) {
    return update(
            "UPDATE batch_job SET job_owner = NULL, job_lease_until = NULL WHERE id = ? AND"
                + " job_claims = ? AND job_owner IS NOT NULL",
            "release job " + claim.jobId(),
            claim.jobId(),
            claim.claim())
        == 1;
  }

  @Override
  public Optional<ClaimedChunk> claimChunk(String jobId, String owner, Duration lease) {
    long now = now();
    // Pick the chunk (row-locked on PostgreSQL, so that concurrent claimers skip it), then take
    // it, in one transaction; SQLite runs one writer at a time.
    String pick =
        "SELECT k.idx FROM batch_chunk k WHERE k.job_id = ? AND (k.state = 'PENDING' OR (k.state"
            + " = 'RUNNING' AND k.lease_until < ?)) AND EXISTS (SELECT 1 FROM batch_job j WHERE"
            + " j.id = k.job_id AND j.status = 'RUNNING') ORDER BY k.idx LIMIT 1"
            + dialect.skipLocked();
    String take =
        "UPDATE batch_chunk SET state = 'RUNNING', claims = claims + 1, lease_owner = ?,"
            + " lease_until = ? WHERE job_id = ? AND idx = ? RETURNING idx, first_item, items,"
            + " byte_offset, claims";
    List<ClaimedChunk> claimed = new ArrayList<>(1);
    inTransaction(
        "claim a chunk of job " + jobId,
        c -> {
          if (dialect == Dialect.SQLITE) {
            // Take the write lock first: a read that later upgrades could meet another writer.
            Statements.update(c, "UPDATE batch_job SET id = id WHERE 0 = 1");
          }
          int idx;
          try (PreparedStatement s = c.prepareStatement(pick)) {
            Statements.bind(s, jobId, now);
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                return false;
              }
              idx = rs.getInt(1);
            }
          }
          try (PreparedStatement s = c.prepareStatement(take)) {
            Statements.bind(s, owner, now + lease.toMillis(), jobId, idx);
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              claimed.add(
                  new ClaimedChunk(
                      jobId,
                      new ChunkPlan(rs.getInt(1), rs.getLong(2), rs.getInt(3), rs.getLong(4)),
                      rs.getInt(5)));
            }
          }
          return true;
        });
    return claimed.stream().findFirst();
  }

  @Override
  public boolean completeChunk(ClaimedChunk chunk, List<ItemOutcome> outcomes) {
    return inTransaction(
        "complete chunk " + chunk.plan().chunk() + " of job " + chunk.jobId(),
        c -> {
          int updated =
              Statements.update(
                  c,
                  "UPDATE batch_chunk SET state = 'DONE', lease_owner = NULL, lease_until = NULL"
                      + " WHERE job_id = ? AND idx = ? AND state = 'RUNNING' AND claims = ? AND"
                      + " EXISTS (SELECT 1 FROM batch_job j WHERE j.id = ? AND j.status ="
                      + " 'RUNNING')",
                  chunk.jobId(),
                  chunk.plan().chunk(),
                  chunk.attempt(),
                  chunk.jobId());
          if (updated != 1) {
            return false;
          }
          long succeeded = 0;
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO batch_failure (job_id, item, error, attempts) VALUES (?, ?, ?,"
                      + " ?)")) {
            boolean any = false;
            for (ItemOutcome o : outcomes) {
              if (o.succeeded()) {
                // its results line is in the chunk's part, written before this commit
                succeeded++;
                continue;
              }
              Statements.bind(s, chunk.jobId(), o.index(), o.error(), o.attempts());
              s.addBatch();
              any = true;
            }
            if (any) {
              s.executeBatch();
            }
          }
          Statements.update(
              c,
              "UPDATE batch_job SET done = done + ?, succeeded = succeeded + ?, failed = failed + ?"
                  + " WHERE id = ?",
              (long) outcomes.size(),
              succeeded,
              outcomes.size() - succeeded,
              chunk.jobId());
          return true;
        });
  }

  @Override
  public boolean releaseChunk(ClaimedChunk chunk) {
    return update(
            "UPDATE batch_chunk SET state = 'PENDING', lease_owner = NULL, lease_until = NULL"
                + " WHERE job_id = ? AND idx = ? AND state = 'RUNNING' AND claims = ?",
            "release a chunk of job " + chunk.jobId(),
            chunk.jobId(),
            chunk.plan().chunk(),
            chunk.attempt())
        == 1;
  }

  @Override
  public int renew(String owner, Duration lease) {
    long until = now() + lease.toMillis();
    return update(
            "UPDATE batch_chunk SET lease_until = ? WHERE lease_owner = ? AND state = 'RUNNING'",
            "renew chunk leases",
            until,
            owner)
        + update(
            "UPDATE batch_job SET job_lease_until = ? WHERE job_owner = ?",
            "renew job leases",
            until,
            owner);
  }

  @Override
  public List<ClaimedChunk> doneChunks(String jobId) {
    List<ClaimedChunk> done = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT idx, first_item, items, byte_offset, claims FROM batch_chunk WHERE job_id"
                    + " = ? AND state = 'DONE' ORDER BY idx")) {
      Statements.bind(s, jobId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          done.add(
              new ClaimedChunk(
                  jobId,
                  new ChunkPlan(rs.getInt(1), rs.getLong(2), rs.getInt(3), rs.getLong(4)),
                  rs.getInt(5)));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the chunks of job " + jobId, e);
    }
    return done;
  }

  @Override
  public void forEachFailure(String jobId, Consumer<ItemOutcome> sink) {
    try (Connection c = dataSource.getConnection()) {
      // PostgreSQL streams a result set only inside a transaction with a fetch size.
      c.setAutoCommit(false);
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT item, error, attempts FROM batch_failure WHERE job_id = ? ORDER BY item")) {
        s.setFetchSize(256);
        Statements.bind(s, jobId);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            sink.accept(ItemOutcome.failure(rs.getLong(1), rs.getString(2), rs.getInt(3)));
          }
        }
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the failures of job " + jobId, e);
    }
  }

  @Override
  public void log(String jobId, String message, int maxLines) {
    update(
        "INSERT INTO batch_log (job_id, seq, at, message) SELECT ?, n + 1, ?, CASE WHEN n + 1 ="
            + " ? THEN 'log truncated: no more lines are kept' ELSE ? END FROM (SELECT COUNT(*) AS"
            + " n FROM batch_log WHERE job_id = ?) c WHERE n < ?",
        "log to job " + jobId,
        jobId,
        now(),
        (long) maxLines,
        message,
        jobId,
        (long) maxLines);
  }

  @Override
  public List<JobLogLine> logs(String jobId) {
    List<JobLogLine> lines = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT at, message FROM batch_log WHERE job_id = ? ORDER BY seq")) {
      Statements.bind(s, jobId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          lines.add(new JobLogLine(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2)));
        }
      }
      return lines;
    } catch (SQLException e) {
      throw new StoreException("cannot read the log of job " + jobId, e);
    }
  }

  @Override
  public List<String> purgeFinished(Instant before) {
    List<String> ids = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id FROM batch_job WHERE finished_at IS NOT NULL AND finished_at < ? AND"
                    + " (files_written = 1 OR status = 'FAILED')")) {
      Statements.bind(s, before.toEpochMilli());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot list expired jobs", e);
    }
    for (String id : ids) {
      inTransaction(
          "delete job " + id,
          c -> {
            for (String table : List.of("batch_failure", "batch_chunk", "batch_log")) {
              Statements.update(c, "DELETE FROM " + table + " WHERE job_id = ?", id);
            }
            Statements.update(c, "DELETE FROM batch_job WHERE id = ?", id);
            return true;
          });
    }
    return ids;
  }

  private List<BatchJob> jobs(String sql, String what, Object... args) {
    List<BatchJob> jobs = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      Statements.bind(s, args);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          jobs.add(job(rs));
        }
      }
      return jobs;
    } catch (SQLException e) {
      throw new StoreException("cannot " + what, e);
    }
  }

  private static BatchJob job(ResultSet rs) throws SQLException {
    NewBatchJob j =
        new NewBatchJob(
            rs.getString(1),
            rs.getString(2),
            rs.getInt(4),
            rs.getInt(5),
            rs.getInt(6),
            rs.getString(7),
            rs.getString(8),
            rs.getString(9));
    long total = rs.getLong(10);
    OptionalLong totalItems = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(total);
    return new BatchJob(
        j,
        BatchStatus.valueOf(rs.getString(3)),
        totalItems,
        rs.getLong(11),
        rs.getLong(12),
        rs.getLong(13),
        Instant.ofEpochMilli(rs.getLong(14)),
        instant(rs, 15),
        instant(rs, 16),
        Optional.ofNullable(rs.getString(17)),
        rs.getInt(18) == 1);
  }

  private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  private long now() {
    return clock.millis();
  }

  private int update(String sql, String what, Object... args) {
    try (Connection c = dataSource.getConnection()) {
      return Statements.update(c, sql, args);
    } catch (SQLException e) {
      throw new StoreException("cannot " + what, e);
    }
  }

  /** A unit of work in one transaction. */
  private interface Work {
    boolean run(Connection c) throws SQLException;
  }

  /** Runs {@code work} in one transaction: committed when it returns true, else rolled back. */
  private boolean inTransaction(String what, Work work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        boolean done = work.run(c);
        if (done) {
          c.commit();
        } else {
          c.rollback();
        }
        return done;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot " + what, e);
    }
  }
}
