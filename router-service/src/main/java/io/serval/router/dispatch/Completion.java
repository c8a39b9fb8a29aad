package io.serval.router.dispatch;

import io.grpc.Status;
import io.serval.router.queue.Ticker;
import io.serval.router.wire.ModelNameField;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Ends a {@link PendingCall} exactly once, whichever path gets there first (answer, error, expiry,
 * cancel): reports it to the {@link DispatchObserver} and answers the listener, with the name the
 * client used put back into a successful answer.
 */
final class Completion {
  private static final Logger LOG = Logger.getLogger(Completion.class);

  private final Ticker ticker;
  private final DispatchObserver observer;

  Completion(Ticker ticker, DispatchObserver observer) {
    this.ticker = ticker;
    this.observer = observer;
  }

  void ok(PendingCall p, String revision, byte[] response) {
    if (!p.finished.compareAndSet(false, true)) {
      return;
    }
    long nanos = ticker.nanos() - p.startNanos;
    observer.completed(p.lane.name(), revision, p.listener.protocol(), Status.Code.OK, nanos);
    p.trace.finished(Status.Code.OK);
    logEnd(p, revision, Status.Code.OK, nanos);
    byte[] answer = response;
    if (!p.lane.api().modelName().equals(p.requestedName)) {
      try {
        answer = ModelNameField.replace(response, p.requestedName);
      } catch (IllegalArgumentException malformed) {
        p.listener.onError(
            Status.INTERNAL.withDescription(
                "replica sent a malformed response: " + malformed.getMessage()),
            p.lane.servedBy(revision));
        return;
      }
    }
    p.listener.onResponse(answer, p.lane.servedBy(revision));
  }

  /**
   * @param revision the revision chosen, or null or "" when none was
   */
  void fail(PendingCall p, Status status, String revision) {
    if (!p.finished.compareAndSet(false, true)) {
      return;
    }
    p.lane.errors.increment();
    long nanos = ticker.nanos() - p.startNanos;
    observer.completed(
        p.lane.name(),
        revision == null ? "" : revision,
        p.listener.protocol(),
        status.getCode(),
        nanos);
    p.trace.finished(status.getCode());
    logEnd(p, revision, status.getCode(), nanos);
    p.listener.onError(
        status, revision == null || revision.isEmpty() ? null : p.lane.servedBy(revision));
  }

  /**
   * The client gave up: reported as CANCELLED, and the listener is not called (nobody listens).
   *
   * @return true when this call ended the request; false when it had already ended
   */
  boolean cancelled(PendingCall p) {
    if (!p.finished.compareAndSet(false, true)) {
      return false;
    }
    observer.completed(
        p.lane.name(),
        p.entry.revision(),
        p.listener.protocol(),
        Status.Code.CANCELLED,
        ticker.nanos() - p.startNanos);
    p.trace.finished(Status.Code.CANCELLED);
    return true;
  }

  /** One DEBUG line per request (category io.serval.router.dispatch), with its MDC fields. */
  private static void logEnd(PendingCall p, String revision, Status.Code code, long nanos) {
    if (LOG.isDebugEnabled()) {
      RequestLog.with(
          p,
          revision,
          () ->
              LOG.debugf(
                  "request to '%s' ended %s in %d us after %d attempt(s)",
                  p.requestedName, code, TimeUnit.NANOSECONDS.toMicros(nanos), p.attempts));
    }
  }
}
