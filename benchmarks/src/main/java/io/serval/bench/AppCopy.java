package io.serval.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Copies a Quarkus fast-jar folder (quarkus-run.jar and its lib/app/quarkus siblings). */
public final class AppCopy {
  private AppCopy() {}

  /** Copies the folder holding {@code runJar} into {@code target}; returns the copied jar. */
  public static Path copyQuarkusApp(Path runJar, Path target) throws IOException {
    Path source = runJar.toAbsolutePath().getParent();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return target.resolve(runJar.getFileName().toString());
  }

  /** Deletes a copy made by {@link #copyQuarkusApp} (about 100 MB, not worth keeping). */
  public static void delete(Path copy) throws IOException {
    if (!Files.exists(copy)) {
      return;
    }
    try (Stream<Path> files = Files.walk(copy)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
