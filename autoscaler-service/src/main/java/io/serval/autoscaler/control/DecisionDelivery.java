package io.serval.autoscaler.control;

import io.quarkus.scheduler.Scheduled;
import io.serval.autoscaler.operator.DecisionOutbox;
import io.serval.autoscaler.operator.OperatorClient;
import io.serval.autoscaler.operator.OperatorRejectedException;
import io.serval.autoscaler.operator.OperatorUnavailableException;
import io.serval.autoscaler.telemetry.AutoscalerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Sends the outbox's decisions to the operator: right after each tick, and again every redelivery
 * interval while some could not be delivered. One flush at a time, so a decision is never in flight
 * twice.
 */
@ApplicationScoped
public class DecisionDelivery {

  private static final Logger LOG = Logger.getLogger(DecisionDelivery.class);

  private final DecisionOutbox outbox;
  private final OperatorClient operator;
  private final ApiDecisions decisions;
  private final AutoscalerMetrics metrics;
  private final ReentrantLock flushing = new ReentrantLock();

  public DecisionDelivery(
      DecisionOutbox outbox,
      OperatorClient operator,
      ApiDecisions decisions,
      AutoscalerMetrics metrics) {
    this.outbox = outbox;
    this.operator = operator;
    this.decisions = decisions;
    this.metrics = metrics;
  }

  @Scheduled(
      every = "${serval.autoscaler.redelivery-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void redeliver() {
    if (outbox.size() > 0) {
      flush();
    }
  }

  /** Delivers what is pending; a flush already running makes this one a no-op. */
  public void flush() {
    if (!flushing.tryLock()) {
      return;
    }
    try {
      for (DecisionOutbox.Pending p : outbox.snapshot()) {
        try {
          int applied = operator.setDesiredReplicas(p.api(), p.replicas(), p.reason());
          if (outbox.complete(p)) {
            decisions.delivery(p.api(), Delivery.State.DELIVERED, p.replicas(), applied, null);
          }
          metrics.delivery("delivered");
          LOG.infof(
              "%s: desired replicas %d (applied %d): %s",
              p.api(), p.replicas(), applied, p.reason());
        } catch (OperatorUnavailableException e) {
          decisions.delivery(p.api(), Delivery.State.RETRYING, p.replicas(), null, e.getMessage());
          metrics.delivery("retrying");
          LOG.warnf("operator unavailable, will retry: %s", e.getMessage());
          return; // the others would wait on the same absent operator
        } catch (OperatorRejectedException e) {
          outbox.complete(p);
          decisions.delivery(p.api(), Delivery.State.REJECTED, p.replicas(), null, e.getMessage());
          metrics.delivery("rejected");
          LOG.warnf("operator rejected a decision: %s", e.getMessage());
        }
      }
    } finally {
      flushing.unlock();
    }
  }
}
