package io.serval.router.access;

import java.util.Set;

/**
 * Judges a request's raw path before anything routes it. Two rules keep access control and routing
 * from ever disagreeing on what a path means:
 *
 * <ul>
 *   <li>Only a few exact raw paths (health and metrics) are open without a key; every other path,
 *       however spelled, is checked. So no spelling of a model path can be taken for an open one.
 *   <li>A path that reaches a handler only after normalisation (doubled slashes, dot segments,
 *       matrix parameters, backslashes, percent-encoded slashes, dots or letters) is refused with
 *       400: Vert.x and JAX-RS normalise such paths in their own ways, and the router serves a
 *       handful of fixed paths that never need them.
 * </ul>
 */
public final class RequestPaths {

  /** Served to anyone, even with keys or networks configured: probes and scrapers have neither. */
  public static final Set<String> OPEN =
      Set.of(
          "/v2/health/live",
          "/v2/health/ready",
          "/ready",
          "/q/health",
          "/q/health/live",
          "/q/health/ready",
          "/q/health/started",
          "/q/metrics");

  private RequestPaths() {}

  /** Whether the raw path is exactly one of the {@link #OPEN} paths. */
  public static boolean open(String rawPath) {
    return OPEN.contains(rawPath);
  }

  /**
   * @return null when the raw path is in canonical form, else why it is not (for a 400)
   */
  public static String ambiguity(String rawPath) {
    if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      return "it does not start with '/'";
    }
    int segmentStart = 1;
    for (int i = 1; i <= rawPath.length(); i++) {
      char c = i < rawPath.length() ? rawPath.charAt(i) : '/';
      if (c == '/') {
        String segment = rawPath.substring(segmentStart, i);
        if (segment.isEmpty() && i < rawPath.length()) {
          return "it has an empty segment ('//')";
        }
        if (segment.equals(".") || segment.equals("..")) {
          return "it has a dot segment ('" + segment + "')";
        }
        segmentStart = i + 1;
      } else if (c == ';') {
        return "it has a matrix parameter (';')";
      } else if (c == '\\') {
        return "it has a backslash";
      } else if (c < 0x20 || c == 0x7F) {
        return "it has a control character";
      } else if (c == '%') {
        String why = escape(rawPath, i);
        if (why != null) {
          return why;
        }
        i += 2;
      }
    }
    return null;
  }

  /** Judges the percent-escape at {@code i}: null when it may stay encoded. */
  private static String escape(String path, int i) {
    if (i + 2 >= path.length()) {
      return "it has a malformed percent-escape";
    }
    int hi = Character.digit(path.charAt(i + 1), 16);
    int lo = Character.digit(path.charAt(i + 2), 16);
    if (hi < 0 || lo < 0) {
      return "it has a malformed percent-escape";
    }
    int b = hi * 16 + lo;
    if (b == '/' || b == '\\' || b == ';' || b == '%' || b < 0x20 || b == 0x7F) {
      return "it has a percent-encoded '/', '\\', ';', '%' or control character";
    }
    if (unreserved(b)) {
      // RFC 3986 6.2.2.2: unreserved characters are never encoded in a canonical path.
      return "it percent-encodes the unreserved character '" + (char) b + "'";
    }
    return null;
  }

  private static boolean unreserved(int b) {
    return (b >= 'a' && b <= 'z')
        || (b >= 'A' && b <= 'Z')
        || (b >= '0' && b <= '9')
        || b == '-'
        || b == '.'
        || b == '_'
        || b == '~';
  }
}
