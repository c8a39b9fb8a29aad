package io.serval.cli.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code serval down}: stops router, autoscaler and operator (SIGTERM, then SIGKILL after the grace
 * period), then any predictor replica still alive: those the operator did not stop (its records in
 * {state}/replicas and its child processes). Specs and revisions stay in the state directory.
 */
public final class PlatformStopper {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServalHome home;
  private final PrintWriter out;

  public PlatformStopper(ServalHome home, PrintWriter out) {
    this.home = home;
    this.out = out;
  }

  /** What down did. */
  public record Result(int stopped, int forced, List<Integer> busyPorts) {}

  public Result down(Duration grace) {
    Optional<PlatformState> state = PlatformState.read(home.platformFile());
    Map<String, ProcessHandle> running = new LinkedHashMap<>();
    state.ifPresent(
        s -> {
          for (String name : PlatformLayout.SERVICES.reversed()) {
            PlatformState.ServiceProcess p = s.services().get(name);
            if (p != null) {
              Processes.find(p.pid(), p.processStart()).ifPresent(h -> running.put(name, h));
            }
          }
        });
    // replicas are the operator's children: remember them before it goes
    List<ProcessHandle> children = new ArrayList<>();
    running.values().forEach(h -> h.descendants().forEach(children::add));

    int stopped = 0;
    int forced = 0;
    for (var e : running.entrySet()) {
      out.printf("  stopping %-11s (pid %d)...", e.getKey(), e.getValue().pid());
      out.flush();
      boolean graceful = Processes.stop(e.getValue(), grace);
      out.println(
          graceful ? " stopped" : " killed (did not stop within " + grace.toMillis() + " ms)");
      out.flush();
      stopped++;
      forced += graceful ? 0 : 1;
    }
    List<ProcessHandle> leftovers = new ArrayList<>();
    children.stream().filter(ProcessHandle::isAlive).forEach(leftovers::add);
    replicaRecords().stream()
        .filter(h -> leftovers.stream().noneMatch(l -> l.pid() == h.pid()))
        .forEach(leftovers::add);
    for (ProcessHandle h : leftovers) {
      out.printf("  stopping replica   (pid %d)...", h.pid());
      out.flush();
      boolean graceful = Processes.stop(h, grace);
      out.println(graceful ? " stopped" : " killed");
      stopped++;
      forced += graceful ? 0 : 1;
    }
    // keep the ports, so that the next up (and the other verbs) use the same ones
    state.ifPresent(
        s -> new PlatformState(s.root(), s.ports(), Map.of()).write(home.platformFile()));
    List<Integer> busy = List.of();
    if (state.isPresent()) {
      busy = awaitPortsFree(List.copyOf(state.get().ports().described().keySet()));
    }
    out.flush();
    return new Result(stopped, forced, busy);
  }

  /** Live replica processes recorded by the operator (pid and start instant). */
  private List<ProcessHandle> replicaRecords() {
    List<ProcessHandle> out = new ArrayList<>();
    Path dir = home.replicasDir();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (var walk = Files.walk(dir, 2)) {
      for (Path p : walk.filter(f -> f.toString().endsWith(".json")).toList()) {
        try {
          JsonNode rec = JSON.readTree(p.toFile());
          Processes.find(rec.path("pid").asLong(-1), rec.path("processStart").asText(null))
              .ifPresent(out::add);
        } catch (IOException e) {
          // an unreadable record names no process we could safely stop
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /** Sockets close a moment after their process exits: wait a little before calling a port busy. */
  private static List<Integer> awaitPortsFree(List<Integer> ports) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<Integer> busy = PortProbe.busy(ports);
    while (!busy.isEmpty() && System.nanoTime() - deadline < 0) {
      PlatformStarter.pause(Duration.ofMillis(200));
      busy = PortProbe.busy(ports);
    }
    return busy;
  }
}
