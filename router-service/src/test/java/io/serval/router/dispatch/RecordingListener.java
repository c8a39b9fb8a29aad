package io.serval.router.dispatch;

import io.grpc.Status;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps how a request ended, and how often the listener heard of it. */
class RecordingListener implements InferListener {
  final AtomicInteger calls = new AtomicInteger();
  volatile byte[] response;
  volatile Status status;
  volatile String servedBy;

  @Override
  public void onResponse(byte[] response, String servedBy) {
    calls.incrementAndGet();
    this.response = response;
    this.servedBy = servedBy;
  }

  @Override
  public void onError(Status status, String servedBy) {
    calls.incrementAndGet();
    this.status = status;
    this.servedBy = servedBy;
  }
}
