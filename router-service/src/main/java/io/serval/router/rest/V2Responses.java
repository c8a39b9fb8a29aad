package io.serval.router.rest;

import io.grpc.Status;
import io.serval.v2.V2Exception;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** V2 error bodies with the contract's headers. */
final class V2Responses {
  static final String REVISION_HEADER = "serval-revision";

  /** Queue full or no ready replica: both clear up within about a second of scaling. */
  static final String RETRY_AFTER_SECONDS = "1";

  private V2Responses() {}

  static Response error(V2Exception e, String servedBy) {
    Response.ResponseBuilder b =
        Response.status(e.httpStatus()).type(MediaType.APPLICATION_JSON_TYPE).entity(e.errorJson());
    if (e.httpStatus() == 503) {
      b.header("Retry-After", RETRY_AFTER_SECONDS);
    }
    if (servedBy != null) {
      b.header(REVISION_HEADER, servedBy);
    }
    return b.build();
  }

  static Response error(Status status, String servedBy) {
    return error(V2Exception.fromStatus(status), servedBy);
  }
}
