package io.serval.cli;

import io.serval.cli.platform.PlatformState;
import io.serval.cli.platform.PortProbe;
import io.serval.cli.platform.Ports;
import io.serval.cli.platform.Processes;
import io.serval.cli.platform.ServalHome;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** What the tests that start a real platform share: free ports, and finding what it started. */
final class LocalPlatforms {

  private LocalPlatforms() {}

  /**
   * An offset whose six platform ports, and {@code extraDefaults} shifted by it, are all free now.
   */
  static int freeOffset(int... extraDefaults) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int candidate = 20000 + 10 * ThreadLocalRandom.current().nextInt(1500);
      Set<Integer> ports = new HashSet<>(Ports.withOffset(candidate).described().keySet());
      for (int p : extraDefaults) {
        ports.add(p + candidate);
      }
      if (PortProbe.busy(ports).isEmpty()) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free block of ports found");
  }

  /** Adds the services recorded in {home}/platform.json that are alive, and their children. */
  static void collectProcesses(Path home, Set<ProcessHandle> seen) {
    PlatformState.read(new ServalHome(home).platformFile())
        .ifPresent(
            s ->
                s.services()
                    .values()
                    .forEach(
                        sp ->
                            Processes.find(sp.pid(), sp.processStart())
                                .ifPresent(
                                    h -> {
                                      seen.add(h);
                                      h.descendants().forEach(seen::add);
                                    })));
  }

  /** Any live process whose command line names the state directory (the operator's, say). */
  static List<ProcessHandle> byHome(Path home) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(h -> h.info().commandLine().map(c -> c.contains(home.toString())).orElse(false))
        .filter(h -> h.pid() != ProcessHandle.current().pid())
        .toList();
  }
}
