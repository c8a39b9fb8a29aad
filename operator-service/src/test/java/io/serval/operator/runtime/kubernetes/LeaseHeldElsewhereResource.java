package io.serval.operator.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.ZonedDateTime;
import java.util.Map;

/**
 * The mock API server with the operators' Lease held by another replica ("leader-op") for an hour,
 * so that the operator under test stays a follower.
 */
public class LeaseHeldElsewhereResource extends MockApiServerResource {

  static final String LEADER = "leader-op";

  @Override
  public Map<String, String> start() {
    Map<String, String> config = super.start();
    try (KubernetesClient client = client()) {
      ZonedDateTime now = ZonedDateTime.now();
      client
          .leases()
          .inNamespace("test")
          .resource(
              new LeaseBuilder()
                  .withNewMetadata()
                  .withName("serval-operator")
                  .withNamespace("test")
                  .endMetadata()
                  .withNewSpec()
                  .withHolderIdentity(LEADER)
                  .withLeaseDurationSeconds(3600)
                  .withAcquireTime(now)
                  .withRenewTime(now)
                  .withLeaseTransitions(0)
                  .endSpec()
                  .build())
          .create();
    }
    return config;
  }
}
