package io.serval.operator.runtime.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@link LocalRuntimeConfig} as a value, so the replica manager can be built without CDI. */
public record LocalSettings(
    Path predictorJar,
    String java,
    List<String> jvmArgs,
    Optional<List<String>> command,
    Path workingDir,
    String host,
    Duration tick,
    RestartBackoff backoff,
    Duration stableAfter,
    Duration drainDelay,
    Duration stopGrace,
    Duration healthTimeout,
    boolean stopReplicasOnShutdown,
    List<Path> modelRoots,
    List<String> modelAllowedHosts,
    boolean fastStart) {

  public LocalSettings {
    modelRoots = List.copyOf(modelRoots);
    modelAllowedHosts = List.copyOf(modelAllowedHosts);
  }

  /**
   * Model roots: the working directory alone; no extra download hosts; the build's fast-start files
   * used when present.
   */
  public LocalSettings(
      Path predictorJar,
      String java,
      List<String> jvmArgs,
      Optional<List<String>> command,
      Path workingDir,
      String host,
      Duration tick,
      RestartBackoff backoff,
      Duration stableAfter,
      Duration drainDelay,
      Duration stopGrace,
      Duration healthTimeout,
      boolean stopReplicasOnShutdown) {
    this(
        predictorJar,
        java,
        jvmArgs,
        command,
        workingDir,
        host,
        tick,
        backoff,
        stableAfter,
        drainDelay,
        stopGrace,
        healthTimeout,
        stopReplicasOnShutdown,
        List.of(workingDir),
        List.of(),
        true);
  }

  /** What the predictor build left beside its jar for replicas to start faster, when on. */
  public FastStartFiles fastStartFiles() {
    return fastStart
        ? FastStartFiles.find(predictorJar, java, FastStartFiles.FILES)
        : FastStartFiles.NONE;
  }

  /** The model roots as absolute paths, relative ones resolved against the working directory. */
  public List<Path> absoluteModelRoots() {
    Path base = workingDir.toAbsolutePath();
    return modelRoots.stream().map(r -> base.resolve(r).normalize()).toList();
  }

  public static LocalSettings from(LocalRuntimeConfig c) {
    return new LocalSettings(
        c.predictorJar(),
        c.java(),
        c.jvmArgs(),
        c.command(),
        c.workingDir(),
        c.host(),
        c.tick(),
        new RestartBackoff(c.restartBackoffInitial(), c.restartBackoffMax()),
        c.stableAfter(),
        c.drainDelay(),
        c.stopGrace(),
        c.healthTimeout(),
        c.stopReplicasOnShutdown(),
        c.modelRoots().orElse(List.of(c.workingDir())),
        c.modelAllowedHosts().orElse(List.of()),
        c.fastStart());
  }
}
