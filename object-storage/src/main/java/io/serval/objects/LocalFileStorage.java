package io.serval.objects;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

/**
 * Objects that are local files ({@code file:///path} or a plain path). A new file is written beside
 * its target under a temporary name and moved into place on close, so readers never see half of it.
 */
public final class LocalFileStorage implements ObjectStorage {

  @Override
  public InputStream open(URI uri, long maxBytes) throws IOException {
    Path path = ObjectUris.localPath(uri);
    try {
      long size = Files.size(path);
      if (size > maxBytes) {
        throw BoundedInputStream.tooLarge(path.toString(), maxBytes);
      }
      return new BoundedInputStream(Files.newInputStream(path), path.toString(), maxBytes);
    } catch (ObjectStorageException e) {
      throw e;
    } catch (IOException e) {
      throw mapped(path, e);
    }
  }

  @Override
  public UploadStream create(URI uri) throws IOException {
    Path target = ObjectUris.localPath(uri).toAbsolutePath();
    Path temp = target.resolveSibling("." + target.getFileName() + ".partial-" + UUID.randomUUID());
    try {
      Files.createDirectories(target.getParent());
      return new FileUpload(Files.newOutputStream(temp), temp, target);
    } catch (IOException e) {
      throw mapped(target, e);
    }
  }

  @Override
  public void delete(URI uri) throws IOException {
    Path path = ObjectUris.localPath(uri);
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw mapped(path, e);
    }
  }

  @Override
  public Optional<Long> size(URI uri) throws IOException {
    Path path = ObjectUris.localPath(uri);
    try {
      return Files.isRegularFile(path) ? Optional.of(Files.size(path)) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw mapped(path, e);
    }
  }

  static ObjectStorageException mapped(Path path, IOException e) {
    return switch (e) {
      case NoSuchFileException n -> new ObjectNotFoundException("no such file: " + path, e);
      case NotDirectoryException n -> new ObjectNotFoundException("no such file: " + path, e);
      case AccessDeniedException a ->
          new ObjectAccessDeniedException("access denied to file " + path, e);
      case FileSystemException f when f.getReason() != null ->
          new ObjectStorageUnavailableException(
              "cannot use file " + path + ": " + f.getReason(), e);
      default -> new ObjectStorageUnavailableException("cannot use file " + path + ": " + e, e);
    };
  }

  /** Writes to the temporary file; close moves it into place, abort deletes it. */
  private static final class FileUpload extends UploadStream {
    private final OutputStream out;
    private final Path temp;
    private final Path target;
    private boolean done;

    FileUpload(OutputStream out, Path temp, Path target) {
      this.out = out;
      this.temp = temp;
      this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException e) {
        abort();
        throw mapped(target, e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        abort();
        throw mapped(target, e);
      }
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (done) {
        return;
      }
      done = true;
      try {
        out.close();
        try {
          Files.move(
              temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        Files.deleteIfExists(temp);
        throw mapped(target, e);
      }
    }

    @Override
    public void abort() throws IOException {
      if (done) {
        return;
      }
      done = true;
      try {
        out.close();
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }
}
