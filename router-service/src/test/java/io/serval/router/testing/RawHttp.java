package io.serval.router.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so that a request path reaches the server exactly as written: HTTP
 * client libraries normalise dot segments and re-encode percent signs before sending.
 */
public final class RawHttp {
  private RawHttp() {}

  /** A status code and the raw response (head and whatever body arrived). */
  public record Reply(int status, String text) {}

  public static Reply send(
      int port, String method, String target, Map<String, String> headers, String body)
      throws IOException {
    byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("Host: localhost\r\nConnection: close\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    if (body != null) {
      head.append("Content-Type: application/json\r\nContent-Length: ")
          .append(payload.length)
          .append("\r\n");
    }
    head.append("\r\n");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(payload);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      try {
        while ((n = in.read(buf)) > 0) {
          all.write(buf, 0, n);
        }
      } catch (java.net.SocketException reset) {
        // the server may reset after answering: what arrived is the answer
      }
      String text = all.toString(StandardCharsets.ISO_8859_1);
      if (!text.startsWith("HTTP/1.1 ")) {
        throw new IOException("no HTTP answer to " + method + " " + target + ": '" + text + "'");
      }
      return new Reply(Integer.parseInt(text.substring(9, 12)), text);
    }
  }
}
