package io.serval.operator.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every management call (every JAX-RS resource of the operator: /v1, whatever the spelling of its
 * path, since this filter runs after matching) needs "Authorization: Bearer {token}": the admin
 * token for anything, or the read-only token for GET and HEAD. Health, metrics and the OpenAPI
 * document are not JAX-RS resources and stay open.
 */
public class BearerAuthFilter {

  private static final Set<String> READS = Set.of("GET", "HEAD");
  private static final String PREFIX = "Bearer ";

  @Inject ApiToken token;

  @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
  public Optional<Response> authenticate(ContainerRequestContext ctx) {
    if (!token.enabled()) {
      return Optional.empty();
    }
    String header = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
    ApiToken.Access access =
        header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
            ? token.access(header.substring(PREFIX.length()))
            : ApiToken.Access.NONE;
    boolean read = READS.contains(ctx.getMethod());
    if (access == ApiToken.Access.WRITE || (access == ApiToken.Access.READ && read)) {
      return Optional.empty();
    }
    if (access == ApiToken.Access.READ) {
      return Optional.of(
          refuse(
              Response.Status.FORBIDDEN,
              "the read-only token cannot "
                  + ctx.getMethod()
                  + ": changes need the admin token (in "
                  + token.file()
                  + ")"));
    }
    String why =
        header == null
            ? "missing Authorization header: send \"Authorization: Bearer <token>\" (the admin"
                + " token is in "
                + token.file()
                + ", a read-only one in "
                + token.readFile()
                + ")"
            : "invalid bearer token (the admin token is in "
                + token.file()
                + ", a read-only one in "
                + token.readFile()
                + ")";
    return Optional.of(refuse(Response.Status.UNAUTHORIZED, why));
  }

  private static Response refuse(Response.Status status, String why) {
    return Response.status(status)
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"serval\"")
        .type("application/json")
        .entity(new ErrorBody(why))
        .build();
  }
}
