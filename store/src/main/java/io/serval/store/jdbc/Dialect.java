package io.serval.store.jdbc;

import io.serval.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** What differs between the two databases the store runs on. */
enum Dialect {
  SQLITE("db/sqlite", ""),
  // Several instances claim at once: each skips the rows another is claiming instead of waiting.
  POSTGRESQL("db/postgresql", " FOR UPDATE SKIP LOCKED");

  private final String migrations;
  private final String claimLock;

  Dialect(String migrations, String claimLock) {
    this.migrations = migrations;
    this.claimLock = claimLock;
  }

  /** Flyway's location of this database's schema migrations. */
  String migrations() {
    return "classpath:" + migrations;
  }

  /**
   * Marks up to N of an API's claimable requests as running under a new lease and returns them.
   * SQLite runs one writer at a time, so the statement alone is atomic there; PostgreSQL needs the
   * row locks.
   */
  String claimSql() {
    return "UPDATE async_request SET state = 'RUNNING', attempts = attempts + 1, claims = claims + 1,"
        + " lease_owner = ?, lease_until = ? WHERE id IN (SELECT id FROM async_request WHERE api = ? AND"
        + " (state = 'PENDING' OR (state = 'RUNNING' AND lease_until < ?))"
        + " ORDER BY created_at, id LIMIT ?"
        + claimLock
        + ") RETURNING id, api, claims, content_type, accept, body, created_at";
  }

  /** What a claim's inner SELECT ends with, so that concurrent claimers skip each other's rows. */
  String skipLocked() {
    return claimLock;
  }

  static Dialect of(Connection connection) {
    try {
      String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      if (product.contains("sqlite")) {
        return SQLITE;
      }
      if (product.contains("postgresql")) {
        return POSTGRESQL;
      }
      throw new IllegalArgumentException(
          "the async store runs on SQLite or PostgreSQL, not " + product);
    } catch (SQLException e) {
      throw new StoreException("cannot read the database's product name", e);
    }
  }
}
