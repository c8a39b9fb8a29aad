package io.serval.router.wiring;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.serval.router.config.RouterConfig;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * A bounded JDBC connection pool (Agroal) for the async store's database (PostgreSQL, or the SQLite
 * file): at most {@code pool.max-size} connections, a caller waits at most {@code
 * acquisition-timeout} for one, idle connections close, old ones are replaced. Without it every
 * store call opened a connection of its own: on PostgreSQL a TCP and authentication round trip per
 * call, and no bound on how many a busy router opens; on SQLite, opening the file and setting up
 * WAL per call was most of an async request's time in the router (docs/benchmarks.md, "Issue 14":
 * 3,902 of the pump's 5,030 claim samples were connection open and close).
 */
final class PooledDataSource {
  /**
   * A connection idle longer than this is checked before it is handed out, so that a restarted
   * database costs no failed store call.
   */
  static final Duration IDLE_VALIDATION = Duration.ofSeconds(10);

  private PooledDataSource() {}

  /** Checks the pool's settings; the message names the property. */
  static void check(RouterConfig.Pool pool) {
    if (pool.maxSize() < 1) {
      throw new IllegalArgumentException(
          "serval.router.async.store.pool.max-size must be at least 1, got " + pool.maxSize());
    }
    positive("acquisition-timeout", pool.acquisitionTimeout());
    positive("idle-timeout", pool.idleTimeout());
    positive("max-lifetime", pool.maxLifetime());
    positive("connect-timeout", pool.connectTimeout());
  }

  private static void positive(String name, Duration d) {
    if (!d.isPositive()) {
      throw new IllegalArgumentException(
          "serval.router.async.store.pool." + name + " must be positive, got " + d);
    }
  }

  /**
   * Opens the pool; no connection is made until the first call needs one.
   *
   * @param driver the JDBC driver class for {@code jdbcUrl}
   */
  static AgroalDataSource open(
      String jdbcUrl,
      Class<? extends Driver> driver,
      Optional<String> user,
      Optional<String> password,
      RouterConfig.Pool pool) {
    return open(jdbcUrl, driver, user, password, new Properties(), pool);
  }

  /**
   * Opens the pool with driver properties given to every new connection (SQLite's pragmas: WAL,
   * synchronous, busy timeout, which are per connection).
   */
  static AgroalDataSource open(
      String jdbcUrl,
      Class<? extends Driver> driver,
      Optional<String> user,
      Optional<String> password,
      Properties driverProperties,
      RouterConfig.Pool pool) {
    check(pool);
    AgroalDataSourceConfigurationSupplier config =
        new AgroalDataSourceConfigurationSupplier()
            .connectionPoolConfiguration(
                p ->
                    p.initialSize(0)
                        .minSize(0)
                        .maxSize(pool.maxSize())
                        .acquisitionTimeout(pool.acquisitionTimeout())
                        .reapTimeout(pool.idleTimeout())
                        .maxLifetime(pool.maxLifetime())
                        .idleValidationTimeout(IDLE_VALIDATION)
                        .connectionValidator(ConnectionValidator.defaultValidator())
                        .connectionFactoryConfiguration(
                            f -> {
                              f.jdbcUrl(jdbcUrl)
                                  .connectionProviderClass(driver)
                                  // every store call is one statement or commits itself
                                  .autoCommit(true)
                                  .loginTimeout(pool.connectTimeout());
                              driverProperties.forEach(
                                  (k, v) -> f.jdbcProperty(k.toString(), v.toString()));
                              user.ifPresent(u -> f.principal(new NamePrincipal(u)));
                              password.ifPresent(pw -> f.credential(new SimplePassword(pw)));
                              return f;
                            }));
    try {
      return AgroalDataSource.from(config);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the async store's connection pool", e);
    }
  }
}
