package io.serval.it.otlp;

import java.util.Map;

/**
 * One span as an OTLP exporter sent it.
 *
 * @param service the resource's service.name
 * @param traceId hex
 * @param spanId hex
 * @param parentSpanId hex, or "" for a root span
 * @param kind OTLP SpanKind: 1 internal, 2 server, 3 client
 * @param startNanos epoch nanoseconds
 * @param endNanos epoch nanoseconds
 * @param attributes string, long, boolean or double values by key
 */
public record ReceivedSpan(
    String service,
    String traceId,
    String spanId,
    String parentSpanId,
    String name,
    int kind,
    long startNanos,
    long endNanos,
    Map<String, Object> attributes) {

  public static final int INTERNAL = 1;
  public static final int SERVER = 2;
  public static final int CLIENT = 3;

  public Object attribute(String key) {
    return attributes.get(key);
  }

  @Override
  public String toString() {
    return service
        + " "
        + name
        + " kind="
        + kind
        + " trace="
        + traceId
        + " span="
        + spanId
        + " parent="
        + parentSpanId
        + " ["
        + startNanos
        + ", "
        + endNanos
        + "] "
        + attributes;
  }
}
