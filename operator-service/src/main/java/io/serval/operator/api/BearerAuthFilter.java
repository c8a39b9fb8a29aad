package io.serval.operator.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Mutating calls under /v1 need "Authorization: Bearer {token}"; reads stay open. */
public class BearerAuthFilter {

  private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final String PREFIX = "Bearer ";

  @Inject ApiToken token;

  @ServerRequestFilter
  public Optional<Response> authenticate(ContainerRequestContext ctx) {
    if (!token.enabled()
        || !MUTATING.contains(ctx.getMethod())
        || !ctx.getUriInfo().getPath().startsWith("/v1/")) {
      return Optional.empty();
    }
    String header = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header != null
        && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        && token.accepts(header.substring(PREFIX.length()))) {
      return Optional.empty();
    }
    String why =
        header == null
            ? "missing Authorization header: send \"Authorization: Bearer <token>\" (the token is in "
                + token.file()
                + ")"
            : "invalid bearer token (the token is in " + token.file() + ")";
    return Optional.of(
        Response.status(Response.Status.UNAUTHORIZED)
            .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"serval\"")
            .type("application/json")
            .entity(new ErrorBody(why))
            .build());
  }
}
