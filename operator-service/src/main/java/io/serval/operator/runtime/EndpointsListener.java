package io.serval.operator.runtime;

/**
 * Hears from a runtime that one of an API's replicas became ready or stopped being ready, so that
 * routes are republished and rollouts look again. Called on the runtime's own thread; must not
 * block for long.
 */
@FunctionalInterface
public interface EndpointsListener {

  void endpointsChanged(String api);

  /** For tests and runtimes that need no notification. */
  EndpointsListener NONE = api -> {};
}
