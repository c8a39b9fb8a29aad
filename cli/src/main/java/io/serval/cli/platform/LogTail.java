package io.serval.cli.platform;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a service's log, to show with a failure; reads at most the last 64 KiB. */
final class LogTail {

  private static final int MAX_BYTES = 64 * 1024;

  private LogTail() {}

  static String last(Path log, int n) {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long from = Math.max(0, f.length() - MAX_BYTES);
      byte[] buf = new byte[(int) (f.length() - from)];
      f.seek(from);
      f.readFully(buf);
      List<String> all = new String(buf, StandardCharsets.UTF_8).lines().toList();
      return "    " + String.join("\n    ", all.subList(Math.max(0, all.size() - n), all.size()));
    } catch (IOException e) {
      return "    (cannot read " + log + ": " + e.getMessage() + ")";
    }
  }
}
