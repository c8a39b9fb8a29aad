package io.serval.cli.client;

import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * One HTTP service of the platform (management API, router, autoscaler): sends a request and turns
 * transport failures and error answers into {@link CliException}s that say what to do.
 */
public final class HttpEndpoint {

  /** For https:// endpoints: the JDK's default TLS context and trust store. Built on first use. */
  private static final class Tls {
    static final HttpClient CLIENT = builder().build();
  }

  /**
   * For plain http:// endpoints (the local platform), built without the default TLS context: the
   * HttpClient creates that at once, reading and parsing the JDK's CA certificates, which is a good
   * part of a command's start. Its TLS context trusts nothing: it is never used (http only), and if
   * it were, every handshake would fail rather than pass unchecked.
   */
  private static final class Plain {
    static final HttpClient CLIENT = builder().sslContext(noTrust()).build();
  }

  private static HttpClient.Builder builder() {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(3))
        .version(HttpClient.Version.HTTP_1_1);
  }

  private static SSLContext noTrust() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[0], new TrustManager[0], null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JDK", e);
    }
  }

  private static HttpClient client(URI uri) {
    return "http".equalsIgnoreCase(uri.getScheme()) ? Plain.CLIENT : Tls.CLIENT;
  }

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
    try {
      return client(request.uri()).send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw unreachable("connection refused or timed out");
    } catch (HttpTimeoutException e) {
      throw new CliException(
          ExitCode.UNREACHABLE,
          what + " at " + base + " did not answer within " + timeout.toSeconds() + "s");
    } catch (IOException e) {
      throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } catch (IllegalArgumentException e) {
      throw unreachable("bad address");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.FAILED, "interrupted");
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
