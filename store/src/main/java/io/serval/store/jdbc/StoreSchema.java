package io.serval.store.jdbc;

import io.serval.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Brings a store's database to the current schema (Flyway, one history table for the async and
 * batch tables, which share a database) and tells which dialect it speaks.
 */
final class StoreSchema {
  private StoreSchema() {}

  /**
   * Creates or upgrades the tables and returns the database's dialect.
   *
   * @param what the store, for the message when the database cannot be reached
   */
  static Dialect migrate(DataSource dataSource, String what) {
    Dialect dialect;
    try (Connection c = dataSource.getConnection()) {
      dialect = Dialect.of(c);
    } catch (SQLException e) {
      throw new StoreException("cannot connect to the " + what, e);
    }
    Flyway.configure()
        .dataSource(dataSource)
        .locations(dialect.migrations())
        .table("serval_schema_history")
        .load()
        .migrate();
    return dialect;
  }
}
