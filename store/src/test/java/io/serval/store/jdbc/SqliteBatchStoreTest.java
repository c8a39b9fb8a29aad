package io.serval.store.jdbc;

import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;

class SqliteBatchStoreTest extends BatchStoreContract {
  @TempDir Path dir;

  @Override
  DataSource freshDatabase() {
    return sameDatabase();
  }

  @Override
  DataSource sameDatabase() {
    return SqliteStores.file(dir.resolve("serval.db"), Duration.ofSeconds(10));
  }
}
