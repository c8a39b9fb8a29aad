package io.serval.router.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.serval.router.wire.AsyncForms;
import io.serval.store.AsyncStore;
import io.serval.store.NewAsyncRequest;
import io.serval.v2.V2Exception;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerResponse;
import org.jboss.logging.Logger;

/**
 * Accepts an async request ({@code Prefer: respond-async}) that {@link InferRoute} has checked and
 * decoded like a realtime one: bounds the API's backlog (429), stores it (durable before the answer
 * goes out), and answers {@code 202 Accepted} with its id and where to poll. The store is written
 * on the store threads, never on the event loop (JDBC blocks).
 */
public final class AsyncIntake {
  private static final Logger LOG = Logger.getLogger(AsyncIntake.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Says the request was taken async (RFC 7240 section 3). */
  static final String PREFERENCE_APPLIED = "Preference-Applied";

  private final AsyncStore store;
  private final WorkerExecutor storeThreads;
  private final BacklogLimit backlog;

  /**
   * @param backlog the bound on each API's unfinished requests
   */
  AsyncIntake(AsyncStore store, WorkerExecutor storeThreads, BacklogLimit backlog) {
    this.store = store;
    this.storeThreads = storeThreads;
    this.backlog = backlog;
  }

  /** An intake on {@code store}, whose backlog is read at most once a second. */
  public static AsyncIntake of(
      AsyncStore store, WorkerExecutor storeThreads, int maxBacklogPerApi) {
    return new AsyncIntake(
        store,
        storeThreads,
        new BacklogLimit(
            store::backlog,
            maxBacklogPerApi,
            io.serval.router.queue.Ticker.system(),
            java.time.Duration.ofSeconds(1)));
  }

  /** An intake that takes nothing: async requests are off (serval.router.async.enabled). */
  public static AsyncIntake disabled() {
    return new AsyncIntake(null, null, null);
  }

  /** Whether async requests are taken. */
  boolean enabled() {
    return store != null;
  }

  /** Where the request with {@code id} of API {@code api} is polled. */
  static String location(String api, String id) {
    return "/v2/models/" + api + "/async/" + id;
  }

  /**
   * Stores the request and answers 202, or the error that kept it out.
   *
   * @param wire the serialized ModelInferRequest, as the dispatcher would forward it
   */
  void accept(HttpServerResponse response, String api, byte[] wire) {
    String id = AsyncRequestIds.next();
    storeThreads
        .executeBlocking(
            () -> {
              if (!backlog.tryAccept(api)) {
                throw new BacklogFull(
                    "API '"
                        + api
                        + "' has "
                        + backlog.max()
                        + " async requests unfinished (serval.router.async.max-backlog-per-api);"
                        + " retry later");
              }
              store.submit(new NewAsyncRequest(id, api, AsyncForms.REQUEST_TYPE, "", wire));
              return id;
            },
            false)
        .onComplete(
            ar -> {
              if (response.ended() || response.closed()) {
                return;
              }
              if (ar.cause() instanceof BacklogFull full) {
                // 429, not the 503 of a full realtime queue: the client's own backlog is the cause.
                response
                    .setStatusCode(429)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Retry-After", V2Responses.RETRY_AFTER_SECONDS)
                    .end(V2Exception.errorJson(full.getMessage()));
                return;
              }
              if (ar.failed()) {
                V2Exception e =
                    ar.cause() instanceof V2Exception v2 ? v2 : storeFailed(api, ar.cause());
                response
                    .setStatusCode(e.httpStatus())
                    .putHeader("Content-Type", "application/json");
                if (e.httpStatus() == 503) {
                  response.putHeader("Retry-After", V2Responses.RETRY_AFTER_SECONDS);
                }
                response.end(e.errorJson());
                return;
              }
              String body =
                  JSON.createObjectNode().put("id", id).put("status", "pending").toString();
              response
                  .setStatusCode(202)
                  .putHeader("Content-Type", "application/json")
                  .putHeader("Location", location(api, id))
                  .putHeader(PREFERENCE_APPLIED, PreferHeader.RESPOND_ASYNC)
                  .end(body);
            });
  }

  /** The API's backlog is at its bound. */
  private static final class BacklogFull extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BacklogFull(String message) {
      super(message, null, false, false);
    }
  }

  private static V2Exception storeFailed(String api, Throwable cause) {
    LOG.errorf(cause, "storing an async request to '%s' failed", api);
    return V2Exception.unavailable("the async request could not be stored; retry shortly");
  }
}
