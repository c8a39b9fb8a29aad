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
    int crashLoopRestarts) {

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
        c.crashLoopRestarts());
  }
}
