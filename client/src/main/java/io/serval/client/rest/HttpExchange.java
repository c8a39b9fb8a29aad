package io.serval.client.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 request on a fresh connection, closed afterwards. Plain sockets rather than
 * java.net.http: the retry rules need to know exactly whether the request left the machine, and a
 * pooled keep-alive connection that the server has just closed fails <em>after</em> the request was
 * written (no retry allowed), where a fresh one fails before (retry allowed). The JDK client also
 * replays some requests on its own. Failures while connecting are {@link NotSentException}; every
 * failure after is an ordinary IOException.
 */
final class HttpExchange {

  /** The connection could not be opened: nothing was written. */
  static final class NotSentException extends IOException {
    NotSentException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The answer is larger than the client accepts. */
  static final class TooLargeException extends IOException {
    TooLargeException(String message) {
      super(message);
    }
  }

  /**
   * @param headers lower-case names
   */
  record Response(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private HttpExchange() {}

  /**
   * @param base scheme, host, port and a path prefix
   * @param headers request headers (Host, Content-Length and Connection are added)
   * @param body null for none
   * @param budget the longest the whole exchange may take
   * @param maxResponseBytes the largest answer body accepted
   */
  static Response send(
      URI base,
      String method,
      String path,
      Map<String, String> headers,
      byte[] body,
      Duration budget,
      long maxResponseBytes)
      throws IOException {
    long end = System.nanoTime() + budget.toNanos();
    boolean https = "https".equalsIgnoreCase(base.getScheme());
    int port = base.getPort() > 0 ? base.getPort() : https ? 443 : 80;
    Socket socket = new Socket();
    try {
      try {
        InetAddress address = InetAddress.getByName(base.getHost());
        socket.connect(new InetSocketAddress(address, port), millisLeft(end));
        socket.setTcpNoDelay(true);
        if (https) {
          SSLSocket tls =
              (SSLSocket)
                  ((SSLSocketFactory) SSLSocketFactory.getDefault())
                      .createSocket(socket, base.getHost(), port, true);
          tls.setSoTimeout(millisLeft(end));
          tls.startHandshake();
          socket = tls;
        }
      } catch (IOException e) {
        throw new NotSentException(
            "cannot connect to " + base.getHost() + ":" + port + ": " + e, e);
      }
      OutputStream out = socket.getOutputStream();
      out.write(head(base, method, path, headers, body).getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      return read(socket, end, maxResponseBytes);
    } finally {
      socket.close();
    }
  }

  private static String head(
      URI base, String method, String path, Map<String, String> headers, byte[] body) {
    String prefix = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
    StringBuilder h = new StringBuilder();
    h.append(method).append(' ').append(prefix).append(path).append(" HTTP/1.1\r\n");
    h.append("Host: ").append(base.getHost());
    if (base.getPort() > 0) {
      h.append(':').append(base.getPort());
    }
    h.append("\r\n");
    for (Map.Entry<String, String> e : headers.entrySet()) {
      h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
    }
    if (body != null) {
      h.append("Content-Length: ").append(body.length).append("\r\n");
    }
    h.append("Connection: close\r\n\r\n");
    return h.toString();
  }

  private static Response read(Socket socket, long end, long maxResponseBytes) throws IOException {
    In in = new In(socket, end);
    while (true) {
      String statusLine = in.line();
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
        throw new IOException("not an HTTP answer: " + statusLine);
      }
      int status;
      try {
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("not an HTTP status: " + statusLine);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line = in.line(); !line.isEmpty(); line = in.line()) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.merge(
              line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
              line.substring(colon + 1).trim(),
              (a, b) -> a + ", " + b);
        }
      }
      if (status >= 100 && status < 200) {
        continue; // an interim answer: the real one follows
      }
      byte[] body;
      String length = headers.get("content-length");
      if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
        body = in.chunked(maxResponseBytes);
      } else if (length != null) {
        long n;
        try {
          n = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
          throw new IOException("bad Content-Length: " + length);
        }
        if (n > maxResponseBytes) {
          throw tooLarge(n, maxResponseBytes);
        }
        body = in.exactly((int) n);
      } else {
        body = in.toEnd(maxResponseBytes);
      }
      return new Response(status, headers, body);
    }
  }

  private static TooLargeException tooLarge(long n, long max) {
    return new TooLargeException(
        "the answer has " + n + " bytes, more than the client's limit of " + max);
  }

  /** Milliseconds left until {@code end}, at least 1 (0 would mean no timeout). */
  static int millisLeft(long end) throws SocketTimeoutException {
    long left = Duration.ofNanos(end - System.nanoTime()).toMillis();
    if (left <= 0) {
      throw new SocketTimeoutException("the attempt's time is spent");
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  /** Buffered reads, each bounded by what is left of the attempt. */
  private static final class In {
    private final Socket socket;
    private final InputStream in;
    private final long end;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int limit;

    In(Socket socket, long end) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.end = end;
    }

    /** False at the end of the stream. */
    private boolean fill() throws IOException {
      if (pos < limit) {
        return true;
      }
      socket.setSoTimeout(millisLeft(end));
      int n = in.read(buf);
      if (n < 0) {
        return false;
      }
      pos = 0;
      limit = n;
      return true;
    }

    String line() throws IOException {
      StringBuilder s = new StringBuilder();
      while (true) {
        if (!fill()) {
          throw new IOException("the connection closed before the answer was complete");
        }
        byte b = buf[pos++];
        if (b == '\n') {
          int len = s.length();
          if (len > 0 && s.charAt(len - 1) == '\r') {
            s.setLength(len - 1);
          }
          return s.toString();
        }
        if (s.length() > 64 * 1024) {
          throw new IOException("an answer header line is longer than 64 KiB");
        }
        s.append((char) (b & 0xFF));
      }
    }

    byte[] exactly(int n) throws IOException {
      byte[] out = new byte[n];
      int got = 0;
      while (got < n) {
        if (!fill()) {
          throw new IOException(
              "the connection closed after " + got + " of " + n + " bytes of the answer");
        }
        int k = Math.min(n - got, limit - pos);
        System.arraycopy(buf, pos, out, got, k);
        pos += k;
        got += k;
      }
      return out;
    }

    byte[] toEnd(long max) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      while (fill()) {
        out.write(buf, pos, limit - pos);
        pos = limit;
        if (out.size() > max) {
          throw tooLarge(out.size(), max);
        }
      }
      return out.toByteArray();
    }

    byte[] chunked(long max) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = line();
        int semi = sizeLine.indexOf(';');
        long size;
        try {
          size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunk size: " + sizeLine);
        }
        if (size == 0) {
          while (!line().isEmpty()) {
            // trailers: none that the client reads
          }
          return out.toByteArray();
        }
        if (out.size() + size > max) {
          throw tooLarge(out.size() + size, max);
        }
        out.write(exactly((int) size));
        line();
      }
    }
  }
}
