package io.serval.router.dispatch;

import io.grpc.Status;

/** Where an asynchronous router call sends its one result; any thread, once. */
public interface Answer<T> {
  void ok(T value, String servedBy);

  void error(Status status, String servedBy);
}
