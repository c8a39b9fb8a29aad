package io.serval.router.dispatch;

import io.grpc.Status;

/** What the dispatcher reports to metrics and to the wake-up caller. */
public interface DispatchObserver {
  /**
   * A request finished (shadows included).
   *
   * @param revision the revision chosen, or "" when none was
   * @param protocol the front end the request came in on (a mirror: its original's)
   */
  void completed(
      String api, String revision, Protocol protocol, Status.Code code, long latencyNanos);

  /** A request queued for an API that has no usable replica. */
  void noReadyReplica(String api);

  DispatchObserver NONE =
      new DispatchObserver() {
        @Override
        public void completed(
            String api, String revision, Protocol protocol, Status.Code code, long latencyNanos) {}

        @Override
        public void noReadyReplica(String api) {}
      };
}
