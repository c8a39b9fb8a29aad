package io.serval.router.async;

import io.grpc.Status;
import java.time.Duration;
import java.util.Collection;

/**
 * What the pump needs of the data path: which APIs this router routes, how much room each has now,
 * and a way to send one request through the API's queue behind realtime traffic. The wiring
 * implements it on the dispatcher; tests with a fake.
 */
public interface AsyncTarget {
  /** The APIs this router has routes for. */
  Collection<String> apis();

  /**
   * How many more requests may be sent to the API now (0 when it has no replica): its free slots
   * above those kept for its realtime traffic (the realtime reserve), at least one now and then so
   * that background work never starves.
   */
  int freeSlots(String api);

  /**
   * How long the API's results are kept: its {@code spec.async.resultTtl} as the routes carry it,
   * or the router's default. Read when a result is written, so a change applies to new results.
   */
  Duration resultTtl(String api);

  /** Whether some replica of the API may take work now. */
  boolean hasUsableReplica(String api);

  /** Sends one request; {@code done} is called once, from any thread, never blocking. */
  void submit(String id, String api, byte[] request, Done done);

  /** How one submission ended. */
  interface Done {
    /**
     * @param response the serialized ModelInferResponse
     */
    void succeeded(byte[] response);

    void failed(Status status);
  }
}
