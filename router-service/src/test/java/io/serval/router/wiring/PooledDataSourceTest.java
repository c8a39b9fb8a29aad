package io.serval.router.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agroal.api.AgroalDataSource;
import io.serval.router.config.RouterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The async store's connection pool: bounded, a caller waits at most the acquisition timeout, a
 * returned connection is handed out again. On SQLite's in-memory driver here (any JDBC database
 * shows the pool's rules); PostgreSQL itself is the store module's tests.
 */
class PooledDataSourceTest {

  @TempDir Path dir;

  /**
   * The driver's first connection extracts and loads SQLite's native library, which can take longer
   * than the short acquisition timeouts below on a loaded machine.
   */
  @BeforeAll
  static void loadTheDriver() throws SQLException {
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite::memory:")) {
      assertThat(c.isValid(5)).isTrue();
    }
  }

  private static RouterConfig.Pool pool(int maxSize, Duration acquisitionTimeout) {
    return new RouterConfig.Pool() {
      @Override
      public int maxSize() {
        return maxSize;
      }

      @Override
      public Duration acquisitionTimeout() {
        return acquisitionTimeout;
      }

      @Override
      public Duration idleTimeout() {
        return Duration.ofMinutes(5);
      }

      @Override
      public Duration maxLifetime() {
        return Duration.ofMinutes(30);
      }

      @Override
      public Duration connectTimeout() {
        return Duration.ofSeconds(10);
      }
    };
  }

  private AgroalDataSource open(RouterConfig.Pool pool) {
    return PooledDataSource.open(
        // Each connection its own in-memory database: no file lock between them, only the pool's
        // rules decide who waits.
        "jdbc:sqlite::memory:", org.sqlite.JDBC.class, Optional.empty(), Optional.empty(), pool);
  }

  @Test
  void atMostMaxSizeConnectionsAndTheNextCallerWaitsOnlyTheAcquisitionTimeout() throws Exception {
    try (AgroalDataSource ds = open(pool(2, Duration.ofSeconds(1)))) {
      Connection a = ds.getConnection();
      Connection b = ds.getConnection();
      long t0 = System.nanoTime();
      assertThatThrownBy(ds::getConnection)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("timeout");
      long waitedMillis = (System.nanoTime() - t0) / 1_000_000;
      assertThat(waitedMillis).isBetween(900L, 30_000L);
      a.close();
      // A connection handed back serves the next caller.
      try (Connection c = ds.getConnection()) {
        assertThat(c.isValid(1)).isTrue();
      }
      b.close();
    }
  }

  @Test
  void connectionsCommitEachStatement() throws Exception {
    try (AgroalDataSource ds = open(pool(1, Duration.ofSeconds(1)));
        Connection c = ds.getConnection()) {
      assertThat(c.getAutoCommit()).isTrue();
    }
  }

  @Test
  void badSettingsAreRefusedNamingTheProperty() {
    assertThatThrownBy(() -> PooledDataSource.check(pool(0, Duration.ofSeconds(1))))
        .hasMessageContaining("serval.router.async.store.pool.max-size must be at least 1");
    assertThatThrownBy(() -> PooledDataSource.check(pool(1, Duration.ZERO)))
        .hasMessageContaining(
            "serval.router.async.store.pool.acquisition-timeout must be positive");
  }

  @Test
  void aMissingPasswordFileIsNamed() throws Exception {
    Path missing = dir.resolve("nope");
    assertThat(Files.exists(missing)).isFalse();
    RouterConfig.Store store =
        new RouterConfig.Store() {
          @Override
          public RouterConfig.StoreKind kind() {
            return RouterConfig.StoreKind.POSTGRESQL;
          }

          @Override
          public Optional<Path> sqliteFile() {
            return Optional.empty();
          }

          @Override
          public Optional<String> jdbcUrl() {
            return Optional.of("jdbc:postgresql://127.0.0.1:1/serval");
          }

          @Override
          public Optional<String> user() {
            return Optional.of("serval");
          }

          @Override
          public Optional<Path> passwordFile() {
            return Optional.of(missing);
          }

          @Override
          public Duration busyTimeout() {
            return Duration.ofSeconds(5);
          }

          @Override
          public RouterConfig.Pool pool() {
            return PooledDataSourceTest.pool(8, Duration.ofSeconds(5));
          }
        };
    assertThatThrownBy(() -> AsyncStoreSource.dataSource(store))
        .hasMessageContaining("serval.router.async.store.password-file: cannot read " + missing);
  }
}
