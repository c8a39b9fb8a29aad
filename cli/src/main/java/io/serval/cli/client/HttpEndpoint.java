package io.serval.cli.client;

import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One HTTP service of the platform (management API, router, autoscaler): sends a request and turns
 * transport failures and error answers into {@link CliException}s that say what to do.
 */
public final class HttpEndpoint {

  private static final UrlConnectionTransport TRANSPORT =
      new UrlConnectionTransport(Duration.ofSeconds(3));

  private final String what;
  private final String base;
  private final String unreachableHint;
  private final Duration timeout;

  /**
   * @param what names the service in messages ("the management API")
   * @param unreachableHint appended when it cannot be reached
   */
  public HttpEndpoint(String what, String base, String unreachableHint, Duration timeout) {
    this.what = what;
    this.base = base.replaceAll("/+$", "");
    this.unreachableHint = unreachableHint;
    this.timeout = timeout;
  }

  public String base() {
    return base;
  }

  /** How long one request waits for its answer (--request-timeout). */
  public Duration timeout() {
    return timeout;
  }

  public HttpRequest.Builder request(String path) {
    URI uri;
    try {
      uri = URI.create(base + path);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, "bad URL " + base + path + ": " + e.getMessage());
    }
    return HttpRequest.newBuilder(uri).timeout(timeout);
  }

  /** Sends; any status comes back, only transport failures throw. */
  public HttpResponse<String> send(HttpRequest request) {
    return exchange(() -> TRANSPORT.send(request));
  }

  /**
   * Sends the request with the file as its body, streamed from disk; any status comes back, only
   * transport failures (and an unreadable file) throw.
   */
  public HttpResponse<String> upload(HttpRequest request, Path file) {
    return exchange(() -> TRANSPORT.upload(request, file));
  }

  /**
   * Sends the request and streams a 2xx answer's body into target (its {@code body()} is then "");
   * any other answer comes back with its body, for {@link #error}.
   */
  public HttpResponse<String> download(HttpRequest request, OutputStream target) {
    return exchange(() -> TRANSPORT.download(request, target));
  }

  private interface Exchange {
    HttpResponse<String> run() throws IOException;
  }

  private HttpResponse<String> exchange(Exchange exchange) {
    try {
      return exchange.run();
    } catch (UrlConnectionTransport.NotConnected e) {
      throw unreachable("connection refused or timed out");
    } catch (SocketTimeoutException e) {
      throw new CliException(
          ExitCode.UNREACHABLE,
          what + " at " + base + " did not answer within " + timeout.toSeconds() + "s");
    } catch (IOException e) {
      throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } catch (IllegalArgumentException e) {
      throw unreachable("bad address");
    }
  }

  /** Sends and returns the body of a 2xx answer; any other status becomes an exception. */
  public String call(HttpRequest request) {
    HttpResponse<String> r = send(request);
    if (r.statusCode() / 100 == 2) {
      return r.body();
    }
    throw error(r);
  }

  private CliException unreachable(String why) {
    return new CliException(
        ExitCode.UNREACHABLE,
        "cannot reach " + what + " at " + base + " (" + why + "). " + unreachableHint);
  }

  /** Maps an error answer ({"error": ..., "problems": [...]} or text) to an exit code. */
  public PlatformException error(HttpResponse<String> r) {
    String message = r.body() == null ? "" : r.body().trim();
    List<String> problems = new ArrayList<>();
    try {
      var node = Json.parse(message);
      if (node.hasNonNull("error")) {
        message = node.get("error").asText();
      }
      node.path("problems").forEach(p -> problems.add(p.asText()));
    } catch (RuntimeException notJson) {
      // keep the raw body
    }
    if (message.isEmpty()) {
      message = "HTTP " + r.statusCode();
    }
    int code =
        switch (r.statusCode()) {
          case 401, 403 -> ExitCode.UNAUTHORIZED;
          case 404 -> ExitCode.NOT_FOUND;
          case 400, 409, 413, 422 -> ExitCode.REJECTED;
          default -> ExitCode.FAILED;
        };
    return new PlatformException(code, r.statusCode(), message, problems);
  }

  public static Optional<String> header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name);
  }
}
