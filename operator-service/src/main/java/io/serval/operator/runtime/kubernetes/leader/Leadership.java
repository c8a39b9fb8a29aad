package io.serval.operator.runtime.kubernetes.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.serval.operator.runtime.kubernetes.config.KubernetesRuntimeConfig;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Which operator replica acts: the holder of a coordination.k8s.io Lease (fabric8's LeaderElector).
 * Every replica watches and keeps its registry in step; only the leader writes Deployments,
 * Services, status and events. With election off this replica acts at once.
 */
public final class Leadership implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Leadership.class);

  private final KubernetesClient client;
  private final String namespace;
  private final KubernetesRuntimeConfig.LeaderElection config;
  private final String identity;
  private final Runnable onStart;
  private final Runnable onStop;
  private final Consumer<String> onNewLeader;
  private CompletableFuture<?> running;

  public Leadership(
      KubernetesClient client,
      String namespace,
      KubernetesRuntimeConfig.LeaderElection config,
      String identity,
      Runnable onStart,
      Runnable onStop,
      Consumer<String> onNewLeader) {
    this.client = client;
    this.namespace = namespace;
    this.config = config;
    this.identity = identity;
    this.onStart = onStart;
    this.onStop = onStop;
    this.onNewLeader = onNewLeader;
  }

  public synchronized void start() {
    if (!config.enabled()) {
      LOG.info("leader election off: this operator acts alone");
      onNewLeader.accept(identity);
      onStart.run();
      return;
    }
    running =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName(config.leaseName())
                    .withLock(new LeaseLock(namespace, config.leaseName(), identity))
                    .withLeaseDuration(config.leaseDuration())
                    .withRenewDeadline(config.renewDeadline())
                    .withRetryPeriod(config.retryPeriod())
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(
                        new LeaderCallbacks(
                            () -> {
                              LOG.infof("%s leads (lease %s)", identity, config.leaseName());
                              onStart.run();
                            },
                            () -> {
                              LOG.infof("%s stopped leading", identity);
                              onStop.run();
                            },
                            leader -> {
                              LOG.infof("leader is now %s", leader);
                              onNewLeader.accept(leader);
                            }))
                    .build())
            .build()
            .start();
  }

  @Override
  public synchronized void close() {
    if (running != null) {
      running.cancel(true);
    }
  }
}
