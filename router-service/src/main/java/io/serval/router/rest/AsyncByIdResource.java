package io.serval.router.rest;

import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET} and {@code DELETE /v2/async/{id}}: an async request by its id alone (what {@code
 * serval result ID} calls), answered as under its API's path ({@link AsyncResource}), {@code
 * Prefer: wait=N} included. Ids are unguessable and the access policy is router-wide, so the API in
 * the path adds no protection; there it only checks that the id belongs to that API.
 */
@Path("/v2/async/{id}")
public class AsyncByIdResource {
  private final AsyncResource resource;

  public AsyncByIdResource(AsyncResource.AsyncResults results) {
    this.resource = new AsyncResource(results);
  }

  @GET
  @Blocking
  public CompletionStage<Response> get(@PathParam("id") String id, @Context HttpHeaders headers) {
    return resource.get(Optional.empty(), id, headers.getRequestHeader(AsyncResource.PREFER));
  }

  @DELETE
  public Response cancel(@PathParam("id") String id) {
    return resource.cancel(Optional.empty(), id);
  }
}
