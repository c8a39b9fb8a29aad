package io.serval.router.wiring;

import io.serval.router.config.RouterConfig;
import io.serval.store.jdbc.SqliteStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.Driver;

/**
 * The async store's database from serval.router.async.store; refuses incomplete settings.
 * PostgreSQL and SQLite both through a bounded pool ({@link PooledDataSource}); the caller closes
 * what it gets when it is {@link AutoCloseable}.
 */
final class AsyncStoreSource {
  private AsyncStoreSource() {}

  static DataSource dataSource(RouterConfig.Store store) {
    return switch (store.kind()) {
      case SQLITE ->
          sqlite(store.sqliteFile().orElseGet(AsyncStoreSource::defaultSqliteFile), store);
      case POSTGRESQL -> postgres(store);
    };
  }

  /** {@code $SERVAL_HOME/state/async-requests.db}, {@code ~/.serval} when SERVAL_HOME is unset. */
  static Path defaultSqliteFile() {
    String home = System.getenv("SERVAL_HOME");
    Path base =
        home != null && !home.isBlank()
            ? Path.of(home)
            : Path.of(System.getProperty("user.home"), ".serval");
    return base.resolve("state").resolve("async-requests.db");
  }

  private static DataSource sqlite(Path file, RouterConfig.Store store) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      // Requests and results are users' data: the owner's alone. Created so before SQLite opens
      // it (SQLite gives its -wal and -shm files the database file's permissions).
      if (!Files.exists(file) && posix()) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "serval.router.async.store.sqlite-file: cannot create " + file, e);
    }
    return PooledDataSource.open(
        SqliteStores.url(file),
        org.sqlite.JDBC.class,
        Optional.empty(),
        Optional.empty(),
        SqliteStores.connectionProperties(store.busyTimeout()),
        store.pool());
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  private static DataSource postgres(RouterConfig.Store store) {
    String url =
        store
            .jdbcUrl()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "serval.router.async.store.kind=postgresql needs"
                            + " serval.router.async.store.jdbc-url"));
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "serval.router.async.store.jdbc-url must start with jdbc:postgresql:, got " + url);
    }
    Optional<String> password = Optional.empty();
    if (store.passwordFile().isPresent()) {
      Path file = store.passwordFile().get();
      try {
        password = Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        throw new UncheckedIOException(
            "serval.router.async.store.password-file: cannot read " + file, e);
      }
    }
    return PooledDataSource.open(url, Driver.class, store.user(), password, store.pool());
  }
}
