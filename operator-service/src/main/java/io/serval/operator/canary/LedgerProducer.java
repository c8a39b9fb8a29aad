package io.serval.operator.canary;

import io.serval.operator.OperatorConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one ledger the routers' stats feed and the rollout driver reads. */
public class LedgerProducer {

  @Produces
  @Singleton
  RevisionOutcomeLedger ledger(OperatorConfig config) {
    return new RevisionOutcomeLedger(config.outcomeRetention());
  }
}
