package io.serval.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpRetryException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLSession;

/**
 * Sends an {@link HttpRequest} over {@link HttpURLConnection}, one blocking exchange, and returns
 * the answer as an {@link HttpResponse}. The CLI's calls are short and one at a time; {@code
 * java.net.http.HttpClient} costs every command about 120 ms of CPU to build (its selector thread,
 * the TLS context with the JDK's CA certificates even for http://) where this costs a few
 * (docs/benchmarks.md, "CLI start"). Redirects are not followed, as HttpClient's default.
 */
final class UrlConnectionTransport {

  /** The connection could not be made (refused, no route, connect timeout): nothing was sent. */
  static final class NotConnected extends IOException {
    NotConnected(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private final Duration connectTimeout;

  UrlConnectionTransport(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  /**
   * @throws NotConnected when no connection could be made
   * @throws SocketTimeoutException when the answer did not come within the request's timeout
   * @throws IOException on any other transport failure
   */
  HttpResponse<String> send(HttpRequest request) throws IOException {
    HttpURLConnection c = open(request);
    byte[] body = body(request);
    if (body != null) {
      // Buffered, not setFixedLengthStreamingMode: in streaming mode a 401 or 407 answer is thrown
      // away (HttpRetryException), and with it the platform's reason for refusing.
      c.setDoOutput(true);
    }
    connect(c);
    if (body != null) {
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
    }
    int status = c.getResponseCode();
    return new Answer(
        status, request, headers(c), text(status >= 400 ? c.getErrorStream() : c.getInputStream()));
  }

  /**
   * Sends the request with the file as its body, streamed (fixed length: the file is never held in
   * memory), and returns the answer with its body as text.
   *
   * @throws NotConnected when no connection could be made
   * @throws IOException on any other transport failure, or when the file cannot be read
   */
  HttpResponse<String> upload(HttpRequest request, Path file) throws IOException {
    HttpURLConnection c = open(request);
    c.setDoOutput(true);
    c.setFixedLengthStreamingMode(Files.size(file));
    connect(c);
    IOException sending = null;
    try (OutputStream out = c.getOutputStream();
        InputStream in = Files.newInputStream(file)) {
      in.transferTo(out);
    } catch (IOException e) {
      // the server may answer (413, 404...) and close before it has read the whole body: its answer
      // says more than the broken pipe
      sending = e;
    }
    try {
      int status = c.getResponseCode();
      return new Answer(
          status,
          request,
          headers(c),
          text(status >= 400 ? c.getErrorStream() : c.getInputStream()));
    } catch (HttpRetryException e) {
      // streaming mode cannot retry an authentication challenge: the 401 comes back bodiless
      return new Answer(e.responseCode(), request, headers(c), "");
    } catch (IOException e) {
      if (sending != null) {
        sending.addSuppressed(e);
        throw sending;
      }
      throw e;
    }
  }

  /**
   * Sends the request; a 2xx answer's body is streamed into target (never held in memory) and the
   * answer's body reads "", any other answer's body is returned as text and target is left alone.
   */
  HttpResponse<String> download(HttpRequest request, OutputStream target) throws IOException {
    HttpURLConnection c = open(request);
    connect(c);
    int status = c.getResponseCode();
    if (status / 100 == 2) {
      try (InputStream in = c.getInputStream()) {
        in.transferTo(target);
      }
      return new Answer(status, request, headers(c), "");
    }
    return new Answer(status, request, headers(c), text(c.getErrorStream()));
  }

  private HttpURLConnection open(HttpRequest request) throws IOException {
    HttpURLConnection c = (HttpURLConnection) request.uri().toURL().openConnection();
    c.setInstanceFollowRedirects(false);
    c.setConnectTimeout(millis(connectTimeout));
    request.timeout().ifPresent(t -> c.setReadTimeout(millis(t)));
    c.setRequestMethod(request.method());
    request.headers().map().forEach((k, values) -> values.forEach(v -> c.addRequestProperty(k, v)));
    return c;
  }

  private static void connect(HttpURLConnection c) throws IOException {
    try {
      c.connect();
    } catch (SocketTimeoutException
        | java.net.ConnectException
        | java.net.NoRouteToHostException e) {
      throw new NotConnected(e);
    }
  }

  private static String text(InputStream in) throws IOException {
    if (in == null) {
      return "";
    }
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }

  private static HttpHeaders headers(HttpURLConnection c) {
    Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    c.getHeaderFields()
        .forEach(
            (k, v) -> {
              if (k != null) { // the status line comes with a null key
                map.put(k, v);
              }
            });
    return HttpHeaders.of(map, (k, v) -> true);
  }

  /** The request's body, collected from its publisher (the CLI's are in memory); null for none. */
  private static byte[] body(HttpRequest request) throws IOException {
    Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
    if (publisher.isEmpty() || publisher.get().contentLength() == 0) {
      return null;
    }
    List<ByteBuffer> parts = new ArrayList<>();
    Throwable[] failure = new Throwable[1];
    publisher
        .get()
        .subscribe(
            new Flow.Subscriber<>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(ByteBuffer item) {
                parts.add(item);
              }

              @Override
              public void onError(Throwable t) {
                failure[0] = t;
              }

              @Override
              public void onComplete() {}
            });
    if (failure[0] != null) {
      throw new IOException("cannot read the request body", failure[0]);
    }
    int size = parts.stream().mapToInt(ByteBuffer::remaining).sum();
    ByteBuffer all = ByteBuffer.allocate(size);
    parts.forEach(all::put);
    return all.array();
  }

  private record Answer(int statusCode, HttpRequest request, HttpHeaders headers, String body)
      implements HttpResponse<String> {

    @Override
    public Optional<HttpResponse<String>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return request.uri();
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
