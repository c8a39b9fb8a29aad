package io.serval.operator.runtime.local;

import io.quarkus.runtime.ShutdownEvent;
import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.runtime.EndpointsListener;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaRuntime;
import io.serval.operator.state.StateStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.Logger;

/** serval.operator.runtime=local: replicas as child JVMs on this machine. */
// Typed: the ReplicaRuntime the app uses comes from RuntimeSelection, which picks by config.
@ApplicationScoped
@Typed(LocalRuntime.class)
public class LocalRuntime implements ReplicaRuntime {

  private static final Logger LOG = Logger.getLogger(LocalRuntime.class);

  private final LocalReplicaManager manager;
  private final LocalSettings settings;
  private volatile boolean started;

  @Inject
  public LocalRuntime(
      LocalRuntimeConfig config,
      ResourceRegistry registry,
      StateStore store,
      EndpointsListener endpoints,
      Clock clock) {
    this.settings = LocalSettings.from(config);
    this.manager =
        new LocalReplicaManager(
            settings,
            store.dir().resolve("replicas"),
            registry::apis,
            endpoints::endpointsChanged,
            clock);
  }

  /**
   * Started by {@link io.serval.operator.orchestration.RuntimeSelection} only when this runtime is
   * chosen.
   */
  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    if (settings.command().isEmpty() && !Files.isRegularFile(settings.predictorJar())) {
      LOG.warnf(
          "predictor jar %s not found (serval.operator.local.predictor-jar): replicas will fail to"
              + " start until it exists",
          settings.predictorJar().toAbsolutePath());
    }
    manager.start();
  }

  @Override
  public void desiredStateChanged() {
    if (started) {
      manager.poke();
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    if (started) {
      manager.shutdown(settings.stopReplicasOnShutdown());
    }
  }

  @Override
  public List<ReplicaInfo> replicas(String api) {
    return manager.replicas(api);
  }

  @Override
  public long observedGeneration(String api) {
    return manager.observedGeneration(api);
  }

  @Override
  public boolean tracksReadiness() {
    return true;
  }

  @Override
  public List<String> logs(String api, int maxLines) {
    return manager.logs(api, maxLines);
  }
}
