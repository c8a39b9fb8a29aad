package io.serval.bench.async;

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
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throw-away PostgreSQL server for the store benchmark, started as the store module's tests start
 * theirs ({@code PostgresServer}): Debian's binaries, a cluster in a temporary directory, trust
 * authentication on a free loopback port; as root it runs as the {@code postgres} user. Unlike the
 * tests' server it keeps fsync on unless told otherwise ({@code settings}): a store's throughput
 * means little without the commits it pays for.
 */
public final class PostgresCluster implements AutoCloseable {
  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgres;
  private final Process server;

  private PostgresCluster(Path bin, Path dir, int port, boolean asPostgres, Process server) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgres = asPostgres;
    this.server = server;
  }

  /** The newest installed server's bin folder, if any. */
  public static Optional<Path> binaries() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(b -> b.getParent().getFileName().toString()));
    }
  }

  /**
   * @param settings server settings as {@code name=value} (passed as {@code -c})
   */
  public static PostgresCluster start(Path bin, List<String> settings)
      throws IOException, InterruptedException {
    boolean asPostgres = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("serval-bench-pg");
    if (asPostgres) {
      run(List.of("chown", "postgres:postgres", dir.toString()), false);
    }
    Path data = dir.resolve("data");
    run(
        List.of(
            bin.resolve("initdb").toString(),
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
        new ArrayList<>(
            List.of(
                bin.resolve("postgres").toString(),
                "-D",
                data.toString(),
                "-p",
                Integer.toString(port),
                "-k",
                dir.toString(),
                "-c",
                "listen_addresses=127.0.0.1"));
    for (String s : settings) {
      command.add("-c");
      command.add(s);
    }
    Process server =
        new ProcessBuilder(wrap(command, asPostgres))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile())
            .start();
    PostgresCluster pg = new PostgresCluster(bin, dir, port, asPostgres, server);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      if (!server.isAlive()) {
        throw new IOException("postgres exited; see " + dir.resolve("server.log"));
      }
      try (Connection c = pg.dataSource("postgres").getConnection()) {
        if (c.isValid(1)) {
          return pg;
        }
      } catch (SQLException notYet) {
        if (System.nanoTime() > deadline) {
          pg.close();
          throw new IOException("postgres not ready in 30 s; see " + dir, notYet);
        }
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
  }

  /** A new, empty database. */
  public PGSimpleDataSource newDatabase(String name) throws SQLException {
    try (Connection c = dataSource("postgres").getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return dataSource(name);
  }

  public PGSimpleDataSource dataSource(String database) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName(database);
    ds.setUser("serval");
    return ds;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public long pid() {
    return server.pid();
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
