package io.serval.router.dispatch;

import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the dispatcher reported to metrics and the wake-up caller. */
final class RecordingObserver implements DispatchObserver {
  record Completed(
      String api, String revision, Protocol protocol, Status.Code code, long latencyNanos) {}

  final List<Completed> completed = new CopyOnWriteArrayList<>();
  final List<String> noReadyReplica = new CopyOnWriteArrayList<>();

  @Override
  public void completed(
      String api, String revision, Protocol protocol, Status.Code code, long latencyNanos) {
    completed.add(new Completed(api, revision, protocol, code, latencyNanos));
  }

  @Override
  public void noReadyReplica(String api) {
    noReadyReplica.add(api);
  }
}
