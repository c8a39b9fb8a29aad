package io.serval.cli.platform;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code serval up} started, kept in {home}/platform.json: the ports (so that the other verbs
 * find a platform started on other ports) and each service's process.
 */
public record PlatformState(String root, Ports ports, Map<String, ServiceProcess> services) {

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  /**
   * One started process; processStart (ISO instant) tells it apart from a later process that got
   * the same pid.
   */
  public record ServiceProcess(long pid, String processStart, String log) {}

  public PlatformState {
    services = new LinkedHashMap<>(services == null ? Map.of() : services);
  }

  public PlatformState with(String service, ServiceProcess process) {
    Map<String, ServiceProcess> next = new LinkedHashMap<>(services);
    next.put(service, process);
    return new PlatformState(root, ports, next);
  }

  public PlatformState without(String service) {
    Map<String, ServiceProcess> next = new LinkedHashMap<>(services);
    next.remove(service);
    return new PlatformState(root, ports, next);
  }

  /** This state plus the entries of previous for the services still running. */
  public PlatformState withRunning(PlatformState previous, java.util.Collection<String> running) {
    PlatformState s = this;
    if (previous != null) {
      for (String name : running) {
        s = s.with(name, previous.services().get(name));
      }
    }
    return s;
  }

  public static Optional<PlatformState> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), PlatformState.class));
    } catch (IOException e) {
      // A torn or hand-edited file must not lock the user out: treat it as no platform.
      return Optional.empty();
    }
  }

  /** Atomic: a crash while writing leaves the previous file, never half of one. */
  public void write(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, JSON.writeValueAsBytes(this));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
