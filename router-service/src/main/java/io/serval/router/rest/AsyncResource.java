package io.serval.router.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.serval.router.wire.AsyncForms;
import io.serval.store.AsyncRecord;
import io.serval.store.AsyncState;
import io.serval.store.AsyncStore;
import io.serval.v2.EncodedBody;
import io.serval.v2.V2Exception;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code GET} and {@code DELETE} on an async request's location ({@link AsyncIntake#location}): its
 * status, or its result once it has one; cancelling it while pending. Run on worker threads (JDBC
 * blocks): each is one store read or write. A {@code GET} with {@code Prefer: wait=N} (RFC 7240
 * section 4.3) on a request still pending or running is held, without a thread, until the request
 * finishes or N seconds (at most {@code serval.router.async.max-result-wait}) have passed, then
 * answered as without it; {@code Preference-Applied: wait=N} says it was honoured. Access is
 * checked before, by the same filter as the API's inference path: a result is as secret as the
 * answer it holds.
 */
@Path("/v2/models/{name}/async/{id}")
public class AsyncResource {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Says where a request is: pending, running, succeeded, failed or cancelled. */
  public static final String STATUS_HEADER = "Serval-Async-Status";

  private final AsyncStore store;
  private final Function<String, Duration> resultTtl;
  private final ResultHolds holds;

  @Inject
  public AsyncResource(AsyncResults results) {
    this.store = results.store();
    this.resultTtl = results.resultTtl();
    this.holds = results.holds();
  }

  /**
   * What the resource needs from the wiring: the store (empty when async requests are off), how
   * long a cancelled request of each API is kept (its spec.async.resultTtl, or the default), and
   * where result requests that ask to wait are held.
   */
  public record AsyncResults(
      AsyncStore store, Function<String, Duration> resultTtl, ResultHolds holds) {}

  @GET
  @Blocking
  public CompletionStage<Response> get(
      @PathParam("name") String name, @PathParam("id") String id, @Context HttpHeaders headers) {
    return get(Optional.of(name), id, headers.getRequestHeader(PREFER));
  }

  @DELETE
  public Response cancel(@PathParam("name") String name, @PathParam("id") String id) {
    return cancel(Optional.of(name), id);
  }

  static final String PREFER = "Prefer";

  /**
   * The answer now, or once the request has finished or the wait it asks for (capped) is over.
   *
   * @param prefer the request's {@code Prefer} header values (null when it has none)
   */
  CompletionStage<Response> get(Optional<String> name, String id, List<String> prefer) {
    Optional<Duration> wait = requestedWait(prefer);
    if (wait.isEmpty() || store == null || !AsyncRequestIds.wellFormed(id)) {
      return CompletableFuture.completedFuture(answer(name, id, find(name, id), null));
    }
    Optional<CompletableFuture<Optional<AsyncRecord>>> held = holds.hold(id, wait.get());
    if (held.isEmpty()) {
      // As many clients held as the router may hold: this one is answered at once, as without.
      return CompletableFuture.completedFuture(answer(name, id, find(name, id), null));
    }
    CompletableFuture<Optional<AsyncRecord>> hold = held.get();
    String applied = PreferHeader.WAIT + "=" + wait.get().toSeconds();
    // Held before this read: a result committed after it reaches the hold, one committed before
    // it is in what it reads. Either way no result is missed.
    Optional<AsyncRecord> found = find(name, id);
    if (found.isEmpty() || found.get().state().terminal()) {
      hold.cancel(false);
      return CompletableFuture.completedFuture(answer(name, id, found, applied));
    }
    CompletableFuture<Response> answer =
        hold.thenCompose(
            handed ->
                handed.isPresent()
                    ? CompletableFuture.completedFuture(answer(name, id, handed, applied))
                    : CompletableFuture.supplyAsync(
                        () -> answer(name, id, find(name, id), applied),
                        Infrastructure.getDefaultWorkerPool()));
    // The client closed its connection (the framework cancels what it waits for): let it go.
    answer.whenComplete(
        (r, e) -> {
          if (answer.isCancelled()) {
            hold.cancel(false);
          }
        });
    return answer;
  }

  /** The wait the client asks for, capped; empty for none (absent, zero, or waits are off). */
  private Optional<Duration> requestedWait(List<String> prefer) {
    if (prefer == null || prefer.isEmpty()) {
      return Optional.empty();
    }
    OptionalLong seconds = PreferHeader.waitSeconds(prefer);
    long max = holds.maxWait().toSeconds();
    if (seconds.isEmpty() || seconds.getAsLong() <= 0 || max <= 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofSeconds(Math.min(seconds.getAsLong(), max)));
  }

  /**
   * @param applied the {@code Preference-Applied} value, or null when no preference was honoured
   */
  private static Response answer(
      Optional<String> name, String id, Optional<AsyncRecord> found, String applied) {
    if (found.isEmpty()) {
      return unknown(name, id);
    }
    AsyncRecord r = found.get();
    String status = status(r.state());
    Response.ResponseBuilder b;
    if (r.state() == AsyncState.SUCCEEDED && r.response().isPresent()) {
      String type = r.responseType().orElse(EncodedBody.JSON);
      Response.ResponseBuilder ok =
          Response.ok(r.response().get())
              .type(AsyncForms.contentType(type))
              .header(STATUS_HEADER, status);
      AsyncForms.headerLength(type)
          .ifPresent(n -> ok.header(EncodedBody.HEADER_LENGTH_HEADER, Integer.toString(n)));
      b = ok;
    } else {
      ObjectNode body = JSON.createObjectNode().put("id", r.id()).put("status", status);
      r.reason().ifPresent(reason -> body.put("error", reason));
      b =
          Response.ok(body.toString(), MediaType.APPLICATION_JSON_TYPE)
              .header(STATUS_HEADER, status);
    }
    if (applied != null) {
      b.header(AsyncIntake.PREFERENCE_APPLIED, applied);
    }
    return b.build();
  }

  /** 200 when a pending request was cancelled; 409 when it is running or finished. */
  Response cancel(Optional<String> name, String id) {
    Optional<AsyncRecord> found = find(name, id);
    if (found.isEmpty()) {
      return unknown(name, id);
    }
    if (store.cancel(id, resultTtl.apply(found.get().api()))) {
      AsyncRecord was = found.get();
      holds.finished(
          new AsyncRecord(
              id,
              was.api(),
              AsyncState.CANCELLED,
              was.attempts(),
              was.createdAt(),
              Optional.of(Instant.now()),
              Optional.empty(),
              Optional.empty(),
              Optional.empty()));
      return Response.ok(
              JSON.createObjectNode().put("id", id).put("status", "cancelled").toString(),
              MediaType.APPLICATION_JSON_TYPE)
          .header(STATUS_HEADER, "cancelled")
          .build();
    }
    // Taken or finished between the read and the cancel: say where it is now.
    AsyncState now = store.find(id).map(AsyncRecord::state).orElse(found.get().state());
    return Response.status(409)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .header(STATUS_HEADER, status(now))
        .entity(
            V2Exception.errorJson(
                "async request '"
                    + id
                    + "' is "
                    + status(now)
                    + ": only a pending one can be cancelled"))
        .build();
  }

  private Optional<AsyncRecord> find(Optional<String> name, String id) {
    if (store == null || !AsyncRequestIds.wellFormed(id)) {
      return Optional.empty();
    }
    // Under an API's path, an id is only found if it was sent to that API.
    return store.find(id).filter(r -> name.isEmpty() || r.api().equals(name.get()));
  }

  private static Response unknown(Optional<String> name, String id) {
    return V2Responses.error(
        V2Exception.notFound(
            name.map(n -> "API '" + n + "' has").orElse("there is")
                + " no async request '"
                + id
                + "' (unknown, or its result expired)"),
        null);
  }

  static String status(AsyncState state) {
    return state.name().toLowerCase(Locale.ROOT);
  }
}
