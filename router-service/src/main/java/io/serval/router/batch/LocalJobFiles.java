package io.serval.router.batch;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The router's job directory: {@code DIR/ID/} (0700) holds a job's uploaded input and its local
 * results (0600): users' data, the router's user's alone. Only paths inside the directory are read
 * or written, so no job can name another file of the router's. A result is written to a temporary
 * file and moved into place when complete, so a reader never sees half a file.
 */
public final class LocalJobFiles implements JobFiles {
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");

  private final Path root;
  private final boolean posix;

  public LocalJobFiles(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** The directory of the job {@code id}, created (0700, and its parents) if missing. */
  public Path directory(String id) throws IOException {
    if (!id.matches("[0-9a-f]{32}")) {
      throw new IllegalArgumentException("not a job id: " + id);
    }
    createDirectory(root);
    Path dir = root.resolve(id);
    createDirectory(dir);
    return dir;
  }

  private void createDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (posix) {
      Files.createDirectories(dir, dirMode());
      Files.setPosixFilePermissions(dir, DIR_MODE);
    } else {
      Files.createDirectories(dir);
    }
  }

  /** Where a job's file called {@code name} is. */
  public URI uri(String id, String name) throws IOException {
    return directory(id).resolve(name).toUri();
  }

  /** Deletes the job's directory, if any. */
  public void delete(String id) throws IOException {
    Path dir = root.resolve(id).normalize();
    if (!dir.getParent().equals(root) || !Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The local file behind {@code uri}, refused unless it is inside the job directory. */
  public Path path(URI uri) {
    if (!handles(uri)) {
      throw new IllegalArgumentException("not a file in the job directory: " + uri);
    }
    return Path.of(uri).normalize();
  }

  @Override
  public boolean handles(URI uri) {
    return "file".equals(uri.getScheme()) && Path.of(uri).normalize().startsWith(root);
  }

  @Override
  public InputStream open(URI uri) throws IOException {
    return Files.newInputStream(path(uri));
  }

  @Override
  public OutputStream create(URI uri) throws IOException {
    return createTagged(uri, "");
  }

  @Override
  public boolean assemblesAhead(URI uri) {
    return handles(uri);
  }

  /**
   * Like {@link #create}, written under a temporary name that carries {@code tag}: routers sharing
   * the directory may each assemble the same result, and each moves only its own into place.
   */
  @Override
  public OutputStream createTagged(URI uri, String tag) throws IOException {
    if (!tag.matches("[A-Za-z0-9_-]*")) {
      throw new IllegalArgumentException("not a tag: " + tag);
    }
    Path target = path(uri);
    Path part =
        target.resolveSibling(target.getFileName() + (tag.isEmpty() ? "" : "." + tag) + ".part");
    Files.deleteIfExists(part);
    if (posix) {
      Files.createFile(part, fileMode());
    }
    FileChannel channel =
        FileChannel.open(
            part,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    return new PartFile(channel, part, target);
  }

  /**
   * A file written beside its target and moved into place when closed, unless aborted. Synced to
   * disk before the move, and the move synced with its directory: once closed, the file outlives
   * the machine's crash too (a batch job commits a chunk after its part is written).
   */
  private static final class PartFile extends BufferedOutputStream {
    private final FileChannel channel;
    private final Path part;
    private final Path target;
    private boolean closed;
    private boolean aborted;

    PartFile(FileChannel channel, Path part, Path target) {
      super(Channels.newOutputStream(channel), 1 << 16);
      this.channel = channel;
      this.part = part;
      this.target = target;
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (!aborted) {
          flush();
          // the data and the size; the name is synced with the directory after the move
          channel.force(false);
        }
      } finally {
        super.close();
      }
      if (aborted) {
        Files.deleteIfExists(part);
        return;
      }
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(target.getParent());
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Not every file system syncs a directory opened for reading; the file itself is synced.
    }
  }

  /**
   * A file of the job directory appended to a local result in the kernel (copy_file_range), not
   * through the JVM's buffers, and synced: a results file is its chunks' parts, hundreds of
   * megabytes for a model with large answers.
   */
  @Override
  public void append(URI from, OutputStream to) throws IOException {
    if (!(to instanceof PartFile target)) {
      JobFiles.super.append(from, to);
      return;
    }
    target.flush();
    try (FileChannel in = FileChannel.open(path(from), StandardOpenOption.READ)) {
      long size = in.size();
      for (long at = 0; at < size; ) {
        at += in.transferTo(at, size - at, target.channel);
      }
    }
    // Synced as it goes: closing the result then syncs only what came after.
    target.channel.force(false);
  }

  /** Deletes a file of the job directory, if it is there. */
  @Override
  public void delete(URI uri) throws IOException {
    Files.deleteIfExists(path(uri));
  }

  @Override
  public void abort(OutputStream out) {
    if (out instanceof PartFile p) {
      p.aborted = true;
    }
  }

  /** Creates an empty file of the job's (0600) for an upload. */
  public OutputStream createNew(Path file) throws IOException {
    if (posix) {
      Files.createFile(file, fileMode());
    }
    return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  private static FileAttribute<Set<PosixFilePermission>> dirMode() {
    return PosixFilePermissions.asFileAttribute(DIR_MODE);
  }

  private static FileAttribute<Set<PosixFilePermission>> fileMode() {
    return PosixFilePermissions.asFileAttribute(FILE_MODE);
  }
}
