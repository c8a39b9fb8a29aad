package io.serval.router.dispatch;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.MDC;

/**
 * The request-scoped fields of the router's log lines (MDC): request id, API and revision, shown by
 * the JSON log format (docs/observability.md). The REST edge puts them into the request's Vert.x
 * duplicated context, where Quarkus keeps the MDC of everything that runs on that request; the
 * dispatcher's own lines run on gRPC's and the timer's threads, so it sets them around each line
 * with {@link #with}.
 */
public final class RequestLog {
  public static final String REQUEST_ID = "requestId";
  public static final String API = "api";
  public static final String REVISION = "revision";

  /** The header (REST) and metadata key (gRPC) a client may name its request with. */
  public static final String REQUEST_ID_HEADER = "x-request-id";

  private static final HexFormat HEX = HexFormat.of();

  private RequestLog() {}

  /** A new request id: 16 hex digits, random (nothing to coordinate between routers). */
  public static String newRequestId() {
    return HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  /** The client's request id when it sent a usable one, else a new one. */
  public static String requestId(String fromClient) {
    if (fromClient == null || fromClient.isEmpty() || fromClient.length() > 128) {
      return newRequestId();
    }
    for (int i = 0; i < fromClient.length(); i++) {
      char c = fromClient.charAt(i);
      // Printable ASCII only: the id is copied into log lines verbatim.
      if (c <= ' ' || c > '~') {
        return newRequestId();
      }
    }
    return fromClient;
  }

  /** Runs {@code line} with the request's fields in the MDC, then puts back what was there. */
  static void with(PendingCall p, String revision, Runnable line) {
    Object id = MDC.get(REQUEST_ID);
    Object api = MDC.get(API);
    Object rev = MDC.get(REVISION);
    MDC.put(REQUEST_ID, p.requestId);
    MDC.put(API, p.lane.name());
    MDC.put(REVISION, revision == null ? "" : revision);
    try {
      line.run();
    } finally {
      restore(REQUEST_ID, id);
      restore(API, api);
      restore(REVISION, rev);
    }
  }

  private static void restore(String key, Object previous) {
    if (previous == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, previous);
    }
  }
}
