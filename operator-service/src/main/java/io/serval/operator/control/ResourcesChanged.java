package io.serval.operator.control;

import java.util.Set;

/** Fired after the registry stored a change; observers reconcile replicas and publish routes. */
public record ResourcesChanged(Set<String> changedApis, Set<String> removedApis) {
  public ResourcesChanged {
    changedApis = Set.copyOf(changedApis);
    removedApis = Set.copyOf(removedApis);
  }
}
