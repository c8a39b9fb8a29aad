package io.serval.cli.platform;

import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import io.serval.security.TokenFiles;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code serval up}: starts whichever of operator, autoscaler and router is not running, in the
 * background, and waits until each is ready. A platform that is already up is left as it is.
 */
public final class PlatformStarter {

  private static final Duration POLL = Duration.ofMillis(250);

  private final Path root;
  private final ServalHome home;
  private final ServiceLauncher launcher;
  private final PrintWriter out;
  private final Optional<String> routerApiKey;

  public PlatformStarter(Path root, ServalHome home, ServiceLauncher launcher, PrintWriter out) {
    this(root, home, launcher, out, Optional.empty());
  }

  /**
   * @param routerApiKey when present, a router this run starts requires it (see {@link
   *     PlatformLayout})
   */
  public PlatformStarter(
      Path root,
      ServalHome home,
      ServiceLauncher launcher,
      PrintWriter out,
      Optional<String> routerApiKey) {
    this.root = root;
    this.home = home;
    this.launcher = launcher;
    this.out = out;
    this.routerApiKey = routerApiKey;
  }

  /** What up found or did. */
  public record Result(PlatformState state, boolean alreadyUp) {}

  /**
   * @param portOffset shifts every default port; null keeps the ports of the last platform, else
   *     the defaults
   */
  public Result up(Integer portOffset, Duration timeout) {
    Optional<PlatformState> previous = PlatformState.read(home.platformFile());
    Map<String, ProcessHandle> running = new LinkedHashMap<>();
    previous.ifPresent(
        s ->
            s.services()
                .forEach(
                    (name, p) ->
                        Processes.find(p.pid(), p.processStart())
                            .ifPresent(h -> running.put(name, h))));
    Ports ports;
    if (!running.isEmpty()) {
      ports = previous.get().ports();
      if (portOffset != null && !ports.equals(Ports.withOffset(portOffset))) {
        throw new CliException(
            ExitCode.FAILED,
            "Serval is already running on other ports (router "
                + ports.routerHttp()
                + ", operator "
                + ports.operatorHttp()
                + "). Stop it first: ./serval down");
      }
    } else {
      // the ports of the last platform (down keeps them), so that up after down is the same
      ports =
          portOffset != null
              ? Ports.withOffset(portOffset)
              : previous.map(PlatformState::ports).orElse(Ports.DEFAULT);
    }
    PlatformLayout layout = new PlatformLayout(root, home, ports, routerApiKey);
    List<String> missing =
        PlatformLayout.SERVICES.stream().filter(s -> !running.containsKey(s)).toList();
    PlatformState state =
        new PlatformState(root.toString(), ports, Map.of())
            .withRunning(previous.orElse(null), running.keySet());
    if (missing.isEmpty()) {
      return new Result(state, true);
    }
    checkJars(layout, missing);
    checkPorts(ports, missing);
    // Before any service starts: each one reads it at start, and running ones already share it.
    boolean newToken = TokenFiles.createIfAbsent(home.platformTokenFile());

    if (!running.isEmpty()) {
      out.println(
          "Serval is partly up ("
              + String.join(", ", running.keySet())
              + " running); starting "
              + String.join(", ", missing));
    } else {
      out.println("Starting Serval (state and logs in " + home.dir() + ")");
    }
    if (newToken) {
      out.println("  generated the platform token in " + home.platformTokenFile());
    }
    Map<String, ProcessHandle> started = new LinkedHashMap<>();
    try {
      for (String name : missing) {
        ServiceSpec spec = layout.service(name);
        Path log = home.log(name);
        ProcessHandle h = launcher.start(spec, log);
        started.put(name, h);
        state =
            state.with(
                name,
                new PlatformState.ServiceProcess(h.pid(), Processes.startOf(h), log.toString()));
        // written after each start, so that down can stop it even if up is interrupted
        state.write(home.platformFile());
        out.printf(Locale.ROOT, "  %-11s pid %-7d log %s%n", name, h.pid(), log);
      }
      out.printf(
          Locale.ROOT, "  waiting for them to be ready (up to %ds)...%n", timeout.toSeconds());
      out.flush();
      awaitReady(layout, started, timeout);
    } catch (RuntimeException e) {
      if (!started.isEmpty()) {
        out.println("  stopping what this run started: " + String.join(", ", started.keySet()));
        out.flush();
        started.values().forEach(h -> Processes.stop(h, Duration.ofSeconds(10)));
        for (String name : started.keySet()) {
          state = state.without(name);
        }
        state.write(home.platformFile());
      }
      throw e;
    }
    return new Result(state, false);
  }

  private void awaitReady(
      PlatformLayout layout, Map<String, ProcessHandle> started, Duration timeout) {
    long t0 = System.nanoTime();
    long deadline = t0 + timeout.toNanos();
    List<String> pending = new ArrayList<>(started.keySet());
    while (!pending.isEmpty()) {
      for (String name : List.copyOf(pending)) {
        ProcessHandle h = started.get(name);
        if (!h.isAlive()) {
          throw new CliException(
              ExitCode.FAILED,
              "the "
                  + name
                  + " exited while starting. Last lines of "
                  + home.log(name)
                  + ":\n"
                  + LogTail.last(home.log(name), 25));
        }
        if (ReadinessProbe.ready(layout.service(name).readyUrl())) {
          pending.remove(name);
          out.printf(Locale.ROOT, "  %-11s ready (%.1fs)%n", name, (System.nanoTime() - t0) / 1e9);
          out.flush();
        }
      }
      if (pending.isEmpty()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        String name = pending.getFirst();
        throw new CliException(
            ExitCode.TIMED_OUT,
            String.join(", ", pending)
                + " not ready after "
                + timeout.toSeconds()
                + "s (a busy machine may need more: ./serval up --timeout 5m). Last lines of "
                + home.log(name)
                + ":\n"
                + LogTail.last(home.log(name), 25));
      }
      pause(POLL);
    }
  }

  private void checkJars(PlatformLayout layout, List<String> services) {
    List<String> missing = new ArrayList<>();
    for (String s : services) {
      Path jar = layout.service(s).jar();
      if (!Files.isRegularFile(jar)) {
        missing.add(jar.toString());
      }
    }
    if (services.contains(PlatformLayout.OPERATOR) && !Files.isRegularFile(layout.predictorJar())) {
      missing.add(layout.predictorJar().toString());
    }
    if (!missing.isEmpty()) {
      throw new CliException(
          ExitCode.FAILED,
          "not built yet: "
              + String.join(", ", missing)
              + ". Run ./serval up from the repository root (it builds what is missing), or build"
              + " with: ./mvnw -B install -DskipTests");
    }
  }

  private static void checkPorts(Ports ports, List<String> services) {
    Map<Integer, String> wanted = new LinkedHashMap<>();
    ports
        .described()
        .forEach(
            (port, what) -> {
              if (services.stream().anyMatch(what::startsWith)) {
                wanted.put(port, what);
              }
            });
    List<Integer> busy = PortProbe.busy(wanted.keySet());
    if (!busy.isEmpty()) {
      List<String> which = busy.stream().map(p -> p + " (" + wanted.get(p) + ")").toList();
      throw new CliException(
          ExitCode.FAILED,
          "port"
              + (busy.size() == 1 ? " " : "s ")
              + String.join(", ", which)
              + (busy.size() == 1 ? " is" : " are")
              + " already in use by another program. Stop it (see: ss -ltnp | grep "
              + busy.getFirst()
              + "), or start Serval on other ports: ./serval up --port-offset 1000");
    }
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.FAILED, "interrupted");
    }
  }
}
