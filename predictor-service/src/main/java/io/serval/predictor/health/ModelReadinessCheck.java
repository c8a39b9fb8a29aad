package io.serval.predictor.health;

import io.serval.predictor.runtime.PredictorRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the model is loaded and warmed up; not ready again once shutdown begins. */
@Readiness
@ApplicationScoped
public class ModelReadinessCheck implements HealthCheck {
  @Inject PredictorRuntime runtime;

  @Override
  public HealthCheckResponse call() {
    boolean ready = runtime.engine() != null && runtime.engine().ready();
    return HealthCheckResponse.named("model")
        .status(ready)
        .withData("model", runtime.v2() == null ? "" : runtime.v2().model().name())
        .build();
  }
}
