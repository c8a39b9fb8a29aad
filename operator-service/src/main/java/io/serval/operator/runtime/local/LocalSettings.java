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
    List<String> modelAllowedHosts) {

  public LocalSettings {
    modelRoots = List.copyOf(modelRoots);
    modelAllowedHosts = List.copyOf(modelAllowedHosts);
  }

  /** Model roots: the working directory alone; no extra download hosts. */
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
        List.of());
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
        c.modelAllowedHosts().orElse(List.of()));
  }
}
