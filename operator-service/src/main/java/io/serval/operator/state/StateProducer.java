package io.serval.operator.state;

import io.serval.operator.OperatorConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Beans built from config: the state store, and the clock everything time-based reads. */
public class StateProducer {

  @Produces
  @Singleton
  StateStore stateStore(OperatorConfig config) {
    return new StateStore(config.stateDir());
  }

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }
}
