package io.serval.store.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The batch store on a real PostgreSQL server (PostgresServer), a new database per test. */
class PostgresBatchStoreTest extends BatchStoreContract {
  private static PostgresServer server;
  private static int databases;
  private String database;

  @BeforeAll
  static void startServer() throws Exception {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Override
  DataSource freshDatabase() throws Exception {
    database = "batch_test_" + (++databases);
    return server.newDatabase(database);
  }

  @Override
  DataSource sameDatabase() {
    return server.dataSource(database);
  }
}
