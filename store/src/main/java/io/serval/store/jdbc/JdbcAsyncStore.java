package io.serval.store.jdbc;

import io.serval.store.AsyncRecord;
import io.serval.store.AsyncState;
import io.serval.store.AsyncStore;
import io.serval.store.ClaimTerms;
import io.serval.store.ClaimedRequest;
import io.serval.store.NewAsyncRequest;
import io.serval.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * {@link AsyncStore} over JDBC, on SQLite or PostgreSQL. Each call is one statement in auto-commit
 * (or one short transaction), so it is durable when it returns and holds no lock across calls.
 * Times are epoch milliseconds from the injected clock; leases compare against the clock of the
 * process that claims, so the instances sharing a store need clocks within a fraction of the lease
 * of each other (NTP).
 */
public final class JdbcAsyncStore implements AsyncStore {
  private static final byte[] NO_BODY = new byte[0];

  private final DataSource dataSource;
  private final Clock clock;
  private final Dialect dialect;

  private JdbcAsyncStore(DataSource dataSource, Clock clock, Dialect dialect) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.dialect = dialect;
  }

  /** Opens the store, creating or upgrading its tables first (Flyway). */
  public static JdbcAsyncStore open(DataSource dataSource, Clock clock) {
    return new JdbcAsyncStore(dataSource, clock, StoreSchema.migrate(dataSource, "async store"));
  }

  @Override
  public void submit(NewAsyncRequest r) {
    update(
        "INSERT INTO async_request (id, api, state, content_type, accept, body, attempts,"
            + " claims, created_at) VALUES (?, ?, 'PENDING', ?, ?, ?, 0, 0, ?)",
        "submit " + r.id(),
        r.id(),
        r.api(),
        r.contentType(),
        r.accept(),
        r.body(),
        now());
  }

  @Override
  public ClaimedRequest submitClaimed(NewAsyncRequest r, String owner, Duration lease) {
    long now = now();
    update(
        "INSERT INTO async_request (id, api, state, content_type, accept, body, attempts,"
            + " claims, created_at, lease_owner, lease_until) VALUES (?, ?, 'RUNNING', ?, ?, ?, 1,"
            + " 1, ?, ?, ?)",
        "submit " + r.id(),
        r.id(),
        r.api(),
        r.contentType(),
        r.accept(),
        r.body(),
        now,
        owner,
        now + lease.toMillis());
    return new ClaimedRequest(
        r.id(), r.api(), 1, r.contentType(), r.accept(), r.body(), Instant.ofEpochMilli(now));
  }

  @Override
  public List<ClaimedRequest> claim(String api, String owner, ClaimTerms terms) {
    long now = now();
    // Requests whose holders died maxAttempts times fail first, so the claim below skips them.
    update(
        "UPDATE async_request SET state = 'FAILED', reason = ?, finished_at = ?, expires_at = ?,"
            + " lease_owner = NULL, lease_until = NULL, body = ? WHERE api = ? AND state ="
            + " 'RUNNING' AND lease_until < ? AND attempts >= ?",
        "give up on " + api,
        "gave up after " + terms.maxAttempts() + " attempts: every holder stopped before finishing",
        now,
        now + terms.resultTtl().toMillis(),
        NO_BODY,
        api,
        now,
        terms.maxAttempts());
    List<Claimed> claimed = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(dialect.claimSql())) {
      bind(s, owner, now + terms.lease().toMillis(), api, now, terms.max());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          claimed.add(
              new Claimed(
                  rs.getLong(7),
                  new ClaimedRequest(
                      rs.getString(1),
                      rs.getString(2),
                      rs.getInt(3),
                      rs.getString(4),
                      rs.getString(5),
                      rs.getBytes(6),
                      Instant.ofEpochMilli(rs.getLong(7)))));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot claim requests of " + api, e);
    }
    // RETURNING gives no order: hand them out oldest first.
    claimed.sort(Comparator.comparingLong(Claimed::createdAt).thenComparing(x -> x.request().id()));
    return claimed.stream().map(Claimed::request).toList();
  }

  private record Claimed(long createdAt, ClaimedRequest request) {}

  @Override
  public int renew(String owner, List<String> ids, Duration lease) {
    int held = 0;
    long until = now() + lease.toMillis();
    for (String id : ids) {
      held +=
          update(
              "UPDATE async_request SET lease_until = ? WHERE id = ? AND state = 'RUNNING' AND"
                  + " lease_owner = ?",
              "renew " + id,
              until,
              id,
              owner);
    }
    return held;
  }

  @Override
  public boolean succeed(
      String id, int attempt, String responseType, byte[] response, Duration resultTtl) {
    long now = now();
    return update(
            "UPDATE async_request SET state = 'SUCCEEDED', response_type = ?, response = ?,"
                + " finished_at = ?, expires_at = ?, lease_owner = NULL, lease_until = NULL,"
                + " body = ? WHERE id = ? AND state = 'RUNNING' AND claims = ?",
            "write the result of " + id,
            responseType,
            response,
            now,
            now + resultTtl.toMillis(),
            NO_BODY,
            id,
            attempt)
        == 1;
  }

  @Override
  public boolean fail(String id, int attempt, String reason, Duration resultTtl) {
    long now = now();
    return update(
            "UPDATE async_request SET state = 'FAILED', reason = ?, finished_at = ?,"
                + " expires_at = ?, lease_owner = NULL, lease_until = NULL, body = ? WHERE id = ?"
                + " AND state = 'RUNNING' AND claims = ?",
            "write the failure of " + id,
            reason,
            now,
            now + resultTtl.toMillis(),
            NO_BODY,
            id,
            attempt)
        == 1;
  }

  @Override
  public boolean release(String id, int attempt) {
    return update(
            "UPDATE async_request SET state = 'PENDING', attempts = attempts - 1, lease_owner ="
                + " NULL, lease_until = NULL WHERE id = ? AND state = 'RUNNING' AND claims = ?",
            "release " + id,
            id,
            attempt)
        == 1;
  }

  @Override
  public boolean cancel(String id, Duration resultTtl) {
    long now = now();
    return update(
            "UPDATE async_request SET state = 'CANCELLED', finished_at = ?, expires_at = ?, body"
                + " = ? WHERE id = ? AND state = 'PENDING'",
            "cancel " + id,
            now,
            now + resultTtl.toMillis(),
            NO_BODY,
            id)
        == 1;
  }

  @Override
  public Optional<AsyncRecord> find(String id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id, api, state, attempts, created_at, finished_at, response_type,"
                    + " response, reason, expires_at FROM async_request WHERE id = ?")) {
      bind(s, id);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long expires = rs.getLong(10);
        if (!rs.wasNull() && expires <= now()) {
          return Optional.empty();
        }
        long finished = rs.getLong(6);
        Optional<Instant> finishedAt =
            rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(finished));
        return Optional.of(
            new AsyncRecord(
                rs.getString(1),
                rs.getString(2),
                AsyncState.valueOf(rs.getString(3)),
                rs.getInt(4),
                Instant.ofEpochMilli(rs.getLong(5)),
                finishedAt,
                Optional.ofNullable(rs.getString(7)),
                Optional.ofNullable(rs.getBytes(8)),
                Optional.ofNullable(rs.getString(9))));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read request " + id, e);
    }
  }

  /** Ids per statement: far below SQLite's and PostgreSQL's bounds on bound parameters. */
  private static final int IDS_PER_READ = 500;

  @Override
  public Set<String> finishedAmong(Collection<String> ids) {
    List<String> all = List.copyOf(ids);
    Set<String> finished = new HashSet<>();
    long now = now();
    try (Connection c = dataSource.getConnection()) {
      for (int from = 0; from < all.size(); from += IDS_PER_READ) {
        List<String> part = all.subList(from, Math.min(all.size(), from + IDS_PER_READ));
        String marks = String.join(", ", Collections.nCopies(part.size(), "?"));
        try (PreparedStatement s =
            c.prepareStatement(
                "SELECT id FROM async_request WHERE id IN ("
                    + marks
                    + ") AND state IN ('SUCCEEDED', 'FAILED', 'CANCELLED')"
                    + " AND (expires_at IS NULL OR expires_at > ?)")) {
          Object[] args = new Object[part.size() + 1];
          for (int i = 0; i < part.size(); i++) {
            args[i] = part.get(i);
          }
          args[part.size()] = now;
          bind(s, args);
          try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              finished.add(rs.getString(1));
            }
          }
        }
      }
      return finished;
    } catch (SQLException e) {
      throw new StoreException("cannot read which of " + all.size() + " requests finished", e);
    }
  }

  @Override
  public Map<String, Long> backlog() {
    return countByApi("state IN ('PENDING', 'RUNNING')", "the async backlog");
  }

  @Override
  public Map<String, Long> pending() {
    return countByApi("state = 'PENDING'", "the pending async requests");
  }

  private Map<String, Long> countByApi(String where, String what) {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT api, COUNT(*) FROM async_request WHERE "
                    + where
                    + " GROUP BY api ORDER BY api");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getLong(2));
      }
      return counts;
    } catch (SQLException e) {
      throw new StoreException("cannot count " + what, e);
    }
  }

  @Override
  public int purgeExpired() {
    return update(
        "DELETE FROM async_request WHERE expires_at IS NOT NULL AND expires_at <= ?",
        "purge expired results",
        now());
  }

  private long now() {
    return clock.millis();
  }

  private int update(String sql, String what, Object... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot " + what, e);
    }
  }

  private static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof byte[] bytes) {
        s.setBytes(i + 1, bytes);
      } else if (a instanceof Long l) {
        s.setLong(i + 1, l);
      } else if (a instanceof Integer n) {
        s.setInt(i + 1, n);
      } else {
        s.setString(i + 1, (String) a);
      }
    }
  }
}
