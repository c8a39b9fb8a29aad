package io.serval.cli.env;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** The environments by name, and which one verbs use when no --env is given. Immutable. */
public record Environments(Optional<String> current, SortedMap<String, Environment> byName) {

  public static final Environments NONE = new Environments(Optional.empty(), new TreeMap<>());

  public Environments {
    byName = Collections.unmodifiableSortedMap(new TreeMap<>(byName));
    if (current.isPresent() && !byName.containsKey(current.get())) {
      current = Optional.empty();
    }
  }

  public Optional<Environment> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The current environment, if one was chosen with {@code serval env use}. */
  public Optional<Environment> currentEnvironment() {
    return current.flatMap(this::get);
  }

  /** With {@code e} added, or replacing the one of its name. */
  public Environments with(Environment e) {
    TreeMap<String, Environment> m = new TreeMap<>(byName);
    m.put(e.name(), e);
    return new Environments(current, m);
  }

  /** Without {@code name}; no environment is current any more if it was. */
  public Environments without(String name) {
    TreeMap<String, Environment> m = new TreeMap<>(byName);
    m.remove(name);
    return new Environments(current.filter(c -> !c.equals(name)), m);
  }

  public Environments using(String name) {
    if (!byName.containsKey(name)) {
      throw new IllegalArgumentException("no environment " + name);
    }
    return new Environments(Optional.of(name), byName);
  }
}
