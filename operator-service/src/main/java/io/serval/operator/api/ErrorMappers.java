package io.serval.operator.api;

import io.serval.operator.control.ResourceConflictException;
import io.serval.operator.control.ResourceNotFoundException;
import io.serval.operator.spec.SpecException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps refusals to JSON errors with the right status. */
public class ErrorMappers {

  @ServerExceptionMapper
  public Response invalid(SpecException e) {
    return json(Response.Status.BAD_REQUEST, new ErrorBody(e.getMessage(), e.problems()));
  }

  @ServerExceptionMapper
  public Response notFound(ResourceNotFoundException e) {
    return json(Response.Status.NOT_FOUND, new ErrorBody(e.getMessage()));
  }

  @ServerExceptionMapper
  public Response conflict(ResourceConflictException e) {
    return json(Response.Status.CONFLICT, new ErrorBody(e.getMessage()));
  }

  static Response json(Response.Status status, ErrorBody body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
  }
}
