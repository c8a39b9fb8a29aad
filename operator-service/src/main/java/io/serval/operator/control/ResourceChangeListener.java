package io.serval.operator.control;

/**
 * Hears of each change the registry stored, after it is stored and outside the registry's lock (so
 * it may read the registry back). The operator's one implementation,
 * io.serval.operator.orchestration.ChangePropagation, calls the runtime and the route publisher in
 * a fixed order; a plain interface rather than a CDI event so that the order can be read.
 */
@FunctionalInterface
public interface ResourceChangeListener {

  void resourcesChanged(ResourcesChanged change);

  /** For tests and runtimes that need no notification. */
  ResourceChangeListener NONE = change -> {};
}
