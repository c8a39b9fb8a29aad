package io.serval.predictor.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories {@code file:} model URIs may point into. A spec's author should not be able to
 * have a replica open any file its user can read, so the file is resolved to its real path (every
 * symbolic link followed, {@code ..} gone) and must lie under the real path of one of the roots.
 */
public final class FileRoots {

  private final List<Path> roots;

  private FileRoots(List<Path> roots) {
    this.roots = roots;
  }

  /** Roots as configured; relative ones resolve against the working directory. */
  public static FileRoots of(List<Path> configured) {
    List<Path> real = new ArrayList<>();
    for (Path p : configured) {
      Path abs = p.toAbsolutePath().normalize();
      try {
        real.add(Files.exists(abs) ? abs.toRealPath() : abs);
      } catch (IOException e) {
        real.add(abs);
      }
    }
    return new FileRoots(List.copyOf(real));
  }

  public List<Path> roots() {
    return roots;
  }

  /**
   * @return the file's real path, when it is a regular file under a root
   * @throws ModelLoadException when it does not exist or lies outside every root
   */
  public Path confine(Path file, String uri) {
    Path abs = file.toAbsolutePath().normalize();
    Path real;
    try {
      real = abs.toRealPath();
    } catch (IOException e) {
      throw new ModelLoadException("model file " + abs + " (from " + uri + ") does not exist", e);
    }
    if (roots.stream().noneMatch(real::startsWith)) {
      throw new ModelLoadException(
          "model file "
              + real
              + " (from "
              + uri
              + ") is outside the model roots "
              + roots
              + "; add its directory to serval.predictor.model-fetch.file-roots");
    }
    if (!Files.isRegularFile(real)) {
      throw new ModelLoadException(
          "model file " + real + " (from " + uri + ") does not exist or is not a file");
    }
    return real;
  }
}
