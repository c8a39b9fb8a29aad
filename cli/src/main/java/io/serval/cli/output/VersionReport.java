package io.serval.cli.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code serval version} prints: the CLI's version and each platform service's, as reported or
 * with why it could not be asked; and the rule for a mismatch: a service that answered with another
 * version than the CLI's. A service that could not be reached is said, not counted as a mismatch.
 */
public record VersionReport(String cli, List<Service> services) {

  /** One platform service: its version, or why there is none ({@code unavailable}). */
  public record Service(String name, String url, Optional<String> version, String unavailable) {

    public static Service reported(String name, String url, String version) {
      return new Service(name, url, Optional.of(version), null);
    }

    public static Service unavailable(String name, String url, String why) {
      return new Service(name, url, Optional.empty(), why);
    }
  }

  /** The services that answered with a version other than the CLI's. */
  public List<Service> mismatches() {
    return services.stream()
        .filter(s -> s.version().filter(v -> !v.equals(cli)).isPresent())
        .toList();
  }

  /** One line for stderr when versions differ; empty when every service that answered agrees. */
  public Optional<String> warning() {
    List<Service> differ = mismatches();
    if (differ.isEmpty()) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    for (Service s : differ) {
      parts.add(s.name() + " " + s.version().orElseThrow());
    }
    return Optional.of(
        "warning: the platform runs another version than this CLI ("
            + cli
            + "): "
            + String.join(", ", parts)
            + ". Commands may fail or show less; use the CLI of the platform's release.");
  }

  /** The table: component, version (or "unreachable"), where it was asked. */
  public String table() {
    Table t = new Table("COMPONENT", "VERSION", "URL");
    t.row("cli", cli, "");
    for (Service s : services) {
      t.row(s.name(), s.version().orElse("unknown"), s.url());
    }
    StringBuilder out = new StringBuilder(t.render());
    for (Service s : services) {
      if (s.version().isEmpty()) {
        out.append(s.name()).append(": ").append(s.unavailable()).append('\n');
      }
    }
    return out.toString();
  }
}
