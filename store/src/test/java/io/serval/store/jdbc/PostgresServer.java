package io.serval.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server for the tests: Debian's `postgresql` binaries, a throw-away cluster in a
 * temporary directory, on a free loopback port. PostgreSQL refuses to run as root, so as root it
 * runs as the `postgres` user the package creates. Without the binaries the tests are skipped,
 * except where CI is set (`.ci/run` installs the package), where they fail.
 */
final class PostgresServer implements AutoCloseable {
  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgres;
  private final Process server;

  private PostgresServer(Path bin, Path dir, int port, boolean asPostgres, Process server) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgres = asPostgres;
    this.server = server;
  }

  static PostgresServer start() throws IOException, InterruptedException {
    Optional<Path> bin = binaries();
    if (bin.isEmpty()) {
      assertThat(System.getenv("CI"))
          .as("CI is set but PostgreSQL's binaries are missing (apt-get install postgresql)")
          .isNull();
      Assumptions.abort("PostgreSQL is not installed (Debian: apt-get install postgresql)");
    }
    boolean asPostgres = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("serval-pg");
    if (asPostgres) {
      run(List.of("chown", "postgres:postgres", dir.toString()), false);
    }
    Path data = dir.resolve("data");
    run(
        List.of(
            bin.get().resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-A",
            "trust",
            "-U",
            "serval",
            "--no-sync"),
        asPostgres);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> command =
        List.of(
            bin.get().resolve("postgres").toString(),
            "-D",
            data.toString(),
            "-p",
            Integer.toString(port),
            "-k",
            dir.toString(),
            "-c",
            "listen_addresses=127.0.0.1",
            // a test cluster: nothing in it must survive a power loss
            "-c",
            "fsync=off");
    Process server =
        new ProcessBuilder(wrap(command, asPostgres))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile())
            .start();
    PostgresServer pg = new PostgresServer(bin.get(), dir, port, asPostgres, server);
    Awaitility.await("PostgreSQL on port " + port)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              assertThat(server.isAlive()).as("postgres exited; see " + dir).isTrue();
              try (Connection c = pg.dataSource("postgres").getConnection()) {
                return c.isValid(1);
              }
            });
    return pg;
  }

  /** A new, empty database on this server. */
  PGSimpleDataSource newDatabase(String name) throws SQLException {
    try (Connection c = dataSource("postgres").getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return dataSource(name);
  }

  PGSimpleDataSource dataSource(String database) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName(database);
    ds.setUser("serval");
    return ds;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      run(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D",
              dir.resolve("data").toString(),
              "-m",
              "immediate",
              "stop"),
          asPostgres);
    } finally {
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Optional<Path> binaries() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(
              Comparator.comparingInt(
                  b ->
                      Integer.parseInt(
                          b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
    }
  }

  private static List<String> wrap(List<String> command, boolean asPostgres) {
    if (!asPostgres) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private static void run(List<String> command, boolean asPostgres)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(wrap(command, asPostgres)).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " failed: " + new String(out));
    }
  }
}
