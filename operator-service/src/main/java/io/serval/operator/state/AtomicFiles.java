package io.serval.operator.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Writes a file so that a crash at any moment leaves either the old or the new content: write a
 * temporary file beside it, fsync it, rename it over the target, then fsync the directory so the
 * rename itself survives a power loss.
 */
public final class AtomicFiles {

  static final String TEMP_SUFFIX = ".tmp";

  private AtomicFiles() {}

  public static void write(Path target, byte[] content) throws IOException {
    write(target, content, null);
  }

  /** Writes with the given POSIX permissions set before any byte is written (for secrets). */
  public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
    try {
      if (permissions != null) {
        try {
          Files.createFile(temp, PosixFilePermissions.asFileAttribute(permissions));
        } catch (UnsupportedOperationException e) {
          Files.createFile(temp);
        }
      }
      try (FileChannel ch =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    fsyncDirectory(dir);
  }

  public static void delete(Path target) throws IOException {
    if (Files.deleteIfExists(target)) {
      fsyncDirectory(target.toAbsolutePath().getParent());
    }
  }

  /** Removes temporaries left by a crash between write and rename. */
  public static void removeLeftovers(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(TEMP_SUFFIX)).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some file systems cannot open a directory for reading; the rename is still atomic there.
    }
  }
}
