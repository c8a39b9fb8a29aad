package io.serval.router.dispatch;

import io.grpc.Status;
import io.serval.router.queue.FairApiQueue.Entry;
import io.serval.router.queue.Ticker;
import io.serval.router.wire.ModelNameField;
import org.jboss.logging.Logger;

/**
 * Forwards a request that holds a slot to its replica, within what is left of its deadline, and
 * reads the end of the attempt: an answer or an error completes the request, a failure that
 * provably never reached the replica goes back to the queue for another one (after {@link
 * RetryPolicy}'s backoff), and replicas that fail at the connection are ejected.
 */
final class Forwarder {
  private static final Logger LOG = Logger.getLogger(Forwarder.class);

  /** Runs a task after a delay (the router's timer thread). */
  @FunctionalInterface
  interface Delays {
    void after(long nanos, Runnable task);
  }

  private final ReplicaTransport transport;
  private final RetryPolicy retry;
  private final ReplicaEjector ejector;
  private final Ticker ticker;
  private final Delays delays;
  private final Admission admission;
  private final Completion completion;

  Forwarder(
      ReplicaTransport transport,
      RetryPolicy retry,
      ReplicaEjector ejector,
      Ticker ticker,
      Delays delays,
      Admission admission,
      Completion completion) {
    this.transport = transport;
    this.retry = retry;
    this.ejector = ejector;
    this.ticker = ticker;
    this.delays = delays;
    this.admission = admission;
    this.completion = completion;
  }

  /** Starts an attempt for an entry that was just given a slot on {@code e.replica()}. */
  void start(Entry<PendingCall> e) {
    PendingCall p = e.item();
    ApiLane lane = p.lane;
    String replica = e.replica();
    if (p.finished.get()) {
      admission.release(e, replica);
      admission.drain(lane);
      return;
    }
    long remaining = e.deadlineNanos() - ticker.nanos();
    if (remaining <= 0) {
      admission.release(e, replica);
      completion.fail(p, Admission.deadlineExceeded(lane), e.revision());
      admission.drain(lane);
      return;
    }
    p.attempts++;
    if (p.forward == null) {
      String modelName = lane.api().modelName();
      p.forward =
          modelName.equals(p.requestedName)
              ? p.request
              : ModelNameField.replace(p.request, modelName);
    }
    p.trace.dispatched(replica);
    ReplicaTransport.Attempt attempt =
        transport.newAttempt(
            replica,
            remaining,
            p.trace,
            (status, response, replied, headersSent) ->
                onClose(e, replica, status, response, replied, headersSent));
    p.call = attempt;
    attempt.send(p.forward);
    if (p.finished.get()) {
      attempt.cancel("the client cancelled the request");
    }
  }

  /** Cancels the attempt in flight, if any (the client went away after dispatch). */
  void cancel(PendingCall p) {
    ReplicaTransport.Attempt attempt = p.call;
    if (attempt != null) {
      attempt.cancel("the client cancelled the request");
    }
  }

  private void onClose(
      Entry<PendingCall> entry,
      String replica,
      Status status,
      byte[] response,
      boolean replied,
      boolean headersSent) {
    PendingCall p = entry.item();
    ApiLane lane = p.lane;
    p.trace.attemptEnded(status);
    admission.release(entry, replica);
    if (status.getCode() != Status.Code.CANCELLED || !p.finished.get()) {
      // A call the client cancelled says nothing about the revision.
      lane.outcomes.record(entry.revision(), status.isOk() && response != null);
    }
    if (status.isOk() && response != null) {
      ejector.recordSuccess(replica);
      completion.ok(p, entry.revision(), response);
    } else if (status.isOk()) {
      completion.fail(
          p,
          Status.INTERNAL.withDescription("replica answered without a message"),
          entry.revision());
    } else {
      onFailure(entry, replica, AttemptFailure.of(status, replied, headersSent), status);
    }
    admission.drain(lane);
  }

  private void onFailure(
      Entry<PendingCall> entry, String replica, AttemptFailure failure, Status status) {
    PendingCall p = entry.item();
    ApiLane lane = p.lane;
    switch (failure.ejection()) {
      case COUNT_REFUSAL -> {
        if (ejector.recordFailure(replica)) {
          RequestLog.with(
              p,
              entry.revision(),
              () ->
                  LOG.warnf(
                      "replica %s of API '%s' keeps refusing connections: ejected",
                      replica, lane.name()));
        }
      }
      case EJECT -> {
        // A connection that fails under a call means a dead or draining replica: the next
        // dispatches must not wait for a run of refusals to find that out.
        if (ejector.eject(replica)) {
          RequestLog.with(
              p,
              entry.revision(),
              () ->
                  LOG.warnf(
                      "replica %s of API '%s' lost its connection (%s, %s): ejected",
                      replica, lane.name(), status.getDescription(), status.getCause()));
        }
      }
      case NONE -> {}
    }
    long delay =
        p.finished.get()
            ? -1
            : failure.retryDelayNanos(retry, p.attempts, ticker.nanos(), entry.deadlineNanos());
    if (delay >= 0 && admission.hasUntriedReplica(entry)) {
      delays.after(
          delay,
          () -> {
            if (!p.finished.get()) {
              admission.requeue(entry);
            }
          });
      return;
    }
    if (failure.delivery() == RetryPolicy.Delivery.LOST_IN_FLIGHT) {
      RequestLog.with(
          p,
          entry.revision(),
          () ->
              LOG.warnf(
                  "replica %s of API '%s' went away while it ran a request (%s); the request"
                      + " fails without a retry",
                  replica, lane.name(), status.getDescription()));
    }
    completion.fail(
        p,
        failure.answer(lane.name(), lane.api().timeout(), replica, p.attempts),
        entry.revision());
  }
}
