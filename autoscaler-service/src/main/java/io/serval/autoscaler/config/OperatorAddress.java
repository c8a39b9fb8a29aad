package io.serval.autoscaler.config;

/** A {@code host:port} gRPC address. */
public record OperatorAddress(String host, int port) {

  public static OperatorAddress parse(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("expected host:port, got an empty value");
    }
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException("expected host:port, got '" + value + "'");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port is not a number in '" + value + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535 in '" + value + "'");
    }
    return new OperatorAddress(host, port);
  }
}
