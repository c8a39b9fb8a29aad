package io.serval.router.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.serval.router.wire.AsyncForms;
import io.serval.store.AsyncRecord;
import io.serval.store.AsyncState;
import io.serval.store.AsyncStore;
import io.serval.v2.EncodedBody;
import io.serval.v2.V2Exception;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code GET} and {@code DELETE} on an async request's location ({@link AsyncIntake#location}): its
 * status, or its result once it has one; cancelling it while pending. Blocking methods (JAX-RS runs
 * them on worker threads): each is one store read or write. Access is checked before, by the same
 * filter as the API's inference path: a result is as secret as the answer it holds.
 */
@Path("/v2/models/{name}/async/{id}")
public class AsyncResource {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Says where a request is: pending, running, succeeded, failed or cancelled. */
  public static final String STATUS_HEADER = "Serval-Async-Status";

  private final AsyncStore store;
  private final Function<String, Duration> resultTtl;

  @Inject
  public AsyncResource(AsyncResults results) {
    this.store = results.store();
    this.resultTtl = results.resultTtl();
  }

  /**
   * What the resource needs from the wiring: the store (empty when async requests are off) and how
   * long a cancelled request of each API is kept (its spec.async.resultTtl, or the default).
   */
  public record AsyncResults(AsyncStore store, Function<String, Duration> resultTtl) {}

  @GET
  public Response get(@PathParam("name") String name, @PathParam("id") String id) {
    return get(Optional.of(name), id);
  }

  @DELETE
  public Response cancel(@PathParam("name") String name, @PathParam("id") String id) {
    return cancel(Optional.of(name), id);
  }

  Response get(Optional<String> name, String id) {
    Optional<AsyncRecord> found = find(name, id);
    if (found.isEmpty()) {
      return unknown(name, id);
    }
    AsyncRecord r = found.get();
    String status = status(r.state());
    if (r.state() == AsyncState.SUCCEEDED && r.response().isPresent()) {
      String type = r.responseType().orElse(EncodedBody.JSON);
      Response.ResponseBuilder b =
          Response.ok(r.response().get())
              .type(AsyncForms.contentType(type))
              .header(STATUS_HEADER, status);
      AsyncForms.headerLength(type)
          .ifPresent(n -> b.header(EncodedBody.HEADER_LENGTH_HEADER, Integer.toString(n)));
      return b.build();
    }
    ObjectNode body = JSON.createObjectNode().put("id", r.id()).put("status", status);
    r.reason().ifPresent(reason -> body.put("error", reason));
    return Response.ok(body.toString(), MediaType.APPLICATION_JSON_TYPE)
        .header(STATUS_HEADER, status)
        .build();
  }

  /** 200 when a pending request was cancelled; 409 when it is running or finished. */
  Response cancel(Optional<String> name, String id) {
    Optional<AsyncRecord> found = find(name, id);
    if (found.isEmpty()) {
      return unknown(name, id);
    }
    if (store.cancel(id, resultTtl.apply(found.get().api()))) {
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
