package io.serval.cli;

import io.serval.cli.platform.PlatformState;
import io.serval.cli.platform.PortProbe;
import io.serval.cli.platform.Ports;
import io.serval.cli.platform.Processes;
import io.serval.cli.platform.ServalHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** What the tests that start a real platform share: free ports, and finding what it started. */
final class LocalPlatforms {

  private LocalPlatforms() {}

  /**
   * An offset whose six platform ports, and {@code extraDefaults} shifted by it, are all free now,
   * and all below the kernel's ephemeral port range: a port in that range can be taken at any
   * moment as the local end of an outgoing connection (the services' own connections to each other
   * while they start), and the service meant to listen on it then fails with "port in use".
   */
  static int freeOffset(int... extraDefaults) {
    Set<Integer> defaults = new HashSet<>(Ports.withOffset(0).described().keySet());
    for (int p : extraDefaults) {
      defaults.add(p);
    }
    int highestDefault = defaults.stream().mapToInt(Integer::intValue).max().orElseThrow();
    // Below the ephemeral range when it leaves room; otherwise (a machine that made it very wide)
    // the old range, 20000..35000.
    int blocks = Math.max((ephemeralLow() - 1 - highestDefault - 20000) / 10, 0);
    if (blocks == 0) {
      blocks = 1500;
    }
    for (int attempt = 0; attempt < 50; attempt++) {
      int candidate = 20000 + 10 * ThreadLocalRandom.current().nextInt(blocks);
      Set<Integer> ports = new HashSet<>();
      for (int p : defaults) {
        ports.add(p + candidate);
      }
      if (PortProbe.busy(ports).isEmpty()) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free block of ports found");
  }

  /** The lowest ephemeral port (Linux's ip_local_port_range; 32768, its default, elsewhere). */
  static int ephemeralLow() {
    try {
      // readAllLines, not readString: procfs files report size 0, and readString then reads short.
      String range =
          Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).getFirst().trim();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32768;
    }
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
