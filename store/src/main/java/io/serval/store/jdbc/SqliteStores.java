package io.serval.store.jdbc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The embedded store's database: one SQLite file in write-ahead-log mode. */
public final class SqliteStores {
  private SqliteStores() {}

  /**
   * A data source on the SQLite file at {@code file} (created if missing). WAL lets readers run
   * beside the one writer; synchronous=NORMAL keeps every commit across a crash of the process
   * (what SIGKILL does), though not across a power loss, at a fraction of FULL's fsyncs. Writers
   * from several processes queue for up to {@code busyTimeout} instead of failing at once.
   */
  public static DataSource file(Path file, Duration busyTimeout) {
    SQLiteDataSource ds = new SQLiteDataSource(config(busyTimeout));
    ds.setUrl(url(file));
    return ds;
  }

  /** The JDBC URL of the SQLite file at {@code file}. */
  public static String url(Path file) {
    return "jdbc:sqlite:" + file.toAbsolutePath();
  }

  /**
   * The same settings as {@link #file} as driver properties, for a connection pool that opens its
   * connections through the driver (the pragmas are per connection).
   */
  public static Properties connectionProperties(Duration busyTimeout) {
    return config(busyTimeout).toProperties();
  }

  private static SQLiteConfig config(Duration busyTimeout) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
    return config;
  }
}
