package io.serval.operator.runtime.local;

import io.serval.operator.control.PlannedChange;
import io.serval.operator.spec.ModelSpec;
import io.serval.operator.spec.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The local runtime's model roots, checked at deploy time so that a {@code file:} URI outside them
 * is a 400 naming the field rather than a replica that never starts (each replica enforces the same
 * roots itself, on the file's real path, when it loads the model).
 */
public final class ModelRoots {

  private static final String KEY = "serval.operator.local.model-roots";

  private final Path workingDir;
  private final List<Path> roots;

  public ModelRoots(Path workingDir, List<Path> roots) {
    this.workingDir = workingDir.toAbsolutePath().normalize();
    List<Path> real = new ArrayList<>();
    for (Path r : roots) {
      real.add(realIfExists(this.workingDir.resolve(r).normalize()));
    }
    this.roots = List.copyOf(real);
  }

  public static ModelRoots of(LocalSettings s) {
    return new ModelRoots(s.workingDir(), s.modelRoots());
  }

  /**
   * @throws io.serval.operator.spec.SpecException naming each API whose file: URI lies outside
   */
  public void check(List<PlannedChange> plan) {
    Problems problems = new Problems();
    for (PlannedChange c : plan) {
      if (c.api() == null || c.action() == PlannedChange.Action.unchanged) {
        continue;
      }
      ModelSpec m = c.api().api().spec().model();
      if (m.uri() == null || !m.uri().startsWith("file:")) {
        continue;
      }
      Path file;
      try {
        file = path(m.uri());
      } catch (IllegalArgumentException e) {
        problems
            .scope(c.name())
            .add("spec.model.uri", "is not a valid file: URI, got \"" + m.uri() + "\"");
        continue;
      }
      Path real = realIfExists(file);
      if (roots.stream().noneMatch(real::startsWith)) {
        problems
            .scope(c.name())
            .add(
                "spec.model.uri",
                "file "
                    + real
                    + " is outside the local runtime's model roots "
                    + roots
                    + " ("
                    + KEY
                    + ")");
      }
    }
    problems.throwIfAny();
  }

  /** As the predictor reads it: file:/abs, file:///abs, file:relative (against the working dir). */
  private Path path(String uri) {
    String rest = uri.substring("file:".length());
    Path p = rest.startsWith("//") ? Path.of(java.net.URI.create(uri)) : Path.of(rest);
    return workingDir.resolve(p).normalize();
  }

  private static Path realIfExists(Path p) {
    try {
      return Files.exists(p) ? p.toRealPath() : p;
    } catch (IOException e) {
      return p;
    }
  }
}
