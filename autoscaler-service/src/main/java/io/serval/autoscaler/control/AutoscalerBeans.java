package io.serval.autoscaler.control;

import io.quarkus.runtime.StartupEvent;
import io.serval.autoscaler.aggregation.InFlightAggregator;
import io.serval.autoscaler.config.AutoscalerConfig;
import io.serval.autoscaler.config.ConfigValidation;
import io.serval.autoscaler.operator.DecisionOutbox;
import io.serval.autoscaler.scaling.ScalingPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires the pure classes into CDI and refuses to start on bad configuration. */
@ApplicationScoped
public class AutoscalerBeans {

  void checkConfig(@Observes StartupEvent event, AutoscalerConfig config) {
    ConfigValidation.check(config);
  }

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  InFlightAggregator aggregator(AutoscalerConfig config, Clock clock) {
    ConfigValidation.check(config);
    return new InFlightAggregator(clock, config.sampleMaxAge(), config.sampleRetention());
  }

  @Produces
  @Singleton
  ScalingPolicy policy(Clock clock) {
    return new ScalingPolicy(clock);
  }

  @Produces
  @Singleton
  DecisionOutbox outbox() {
    return new DecisionOutbox();
  }
}
