package io.serval.router.dispatch;

import io.serval.router.queue.FairApiQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/** One client request from admission to answer. */
public final class PendingCall implements InferenceDispatcher.Handle {
  final InferenceDispatcher dispatcher;
  final ApiLane lane;
  final String requestId;
  final String requestedName;
  final byte[] request;
  final InferListener listener;
  final long startNanos;
  final AtomicBoolean finished = new AtomicBoolean();
  FairApiQueue.Entry<PendingCall> entry;
  byte[] forward;
  int attempts;
  RequestTrace trace = RequestTrace.NONE;
  volatile ReplicaTransport.Attempt call;

  PendingCall(
      InferenceDispatcher dispatcher,
      ApiLane lane,
      String requestId,
      String requestedName,
      byte[] request,
      InferListener listener,
      long startNanos) {
    this.dispatcher = dispatcher;
    this.lane = lane;
    this.requestId = requestId;
    this.requestedName = requestedName;
    this.request = request;
    this.listener = listener;
    this.startNanos = startNanos;
  }

  @Override
  public void cancel() {
    dispatcher.cancel(this);
  }
}
