package io.serval.router.dispatch;

import io.grpc.Metadata;
import io.grpc.Status;

/**
 * The trace of one request in the dispatcher: its queue wait when it had to queue, then one forward
 * per attempt on a replica. Called from the event loops, the timer and gRPC's client threads, at
 * most one of them at a time for a given request except {@link #finished}, which may race with the
 * others.
 */
public interface RequestTrace {

  /**
   * The request found no free slot and waits in its API's queue (called on the admitting thread,
   * possibly after {@link #dispatched} when a slot freed at once on another thread). A request that
   * got a slot at once never calls it: it has no queue wait to record.
   */
  void queued();

  /** The request got a slot on {@code replica}: the queue wait ends, a forward starts. */
  void dispatched(String replica);

  /** Puts the current forward's context into the headers sent to the replica. */
  void inject(Metadata headers);

  /** The forward on the wire ended with {@code status}. */
  void attemptEnded(Status status);

  /** The request ended (answer, error, expiry, cancel): whatever is still open ends with it. */
  void finished(Status.Code code);

  RequestTrace NONE =
      new RequestTrace() {
        @Override
        public void queued() {}

        @Override
        public void dispatched(String replica) {}

        @Override
        public void inject(Metadata headers) {}

        @Override
        public void attemptEnded(Status status) {}

        @Override
        public void finished(Status.Code code) {}
      };
}
