package io.serval.router.control;

import io.serval.router.routing.RouteSnapshotFiles;
import io.serval.router.routing.RouteTable;
import io.serval.router.routing.RouteTableHolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Routes from a static file, for running the router alone and for tests. The first read must
 * succeed (startup fails otherwise); later edits are picked up when the file changes, and a bad
 * edit is logged while the last good routes keep serving.
 */
public final class RoutesFileSource {
  private static final Logger LOG = Logger.getLogger(RoutesFileSource.class);

  private final Path file;
  private final RouteTableHolder holder;
  private FileTime lastModified;
  private long lastSize = -1;

  public RoutesFileSource(Path file, RouteTableHolder holder) {
    this.file = file;
    this.holder = holder;
  }

  /**
   * @throws IllegalArgumentException when the file cannot be read or holds invalid routes
   */
  public void loadOrFail() {
    stamp();
    RouteTable table = RouteTable.from(RouteSnapshotFiles.read(file));
    holder.swap(table);
    LOG.infof(
        "serving routes from %s (version %d, %d APIs)", file, table.version(), table.apis().size());
  }

  public void watch(ScheduledExecutorService timer, Duration interval) {
    long ms = Math.max(10, interval.toMillis());
    timer.scheduleWithFixedDelay(this::reloadIfChanged, ms, ms, TimeUnit.MILLISECONDS);
  }

  void reloadIfChanged() {
    try {
      FileTime before = lastModified;
      long sizeBefore = lastSize;
      stamp();
      if (lastModified.equals(before) && lastSize == sizeBefore) {
        return;
      }
      RouteTable table = RouteTable.from(RouteSnapshotFiles.read(file));
      holder.swap(table);
      LOG.infof("reloaded routes from %s (version %d)", file, table.version());
    } catch (RuntimeException e) {
      LOG.errorf("routes file %s: %s; still serving the previous routes", file, e.getMessage());
    }
  }

  private void stamp() {
    try {
      lastModified = Files.getLastModifiedTime(file);
      lastSize = Files.size(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read routes file " + file + ": " + e, e);
    }
  }
}
