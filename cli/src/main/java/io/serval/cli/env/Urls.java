package io.serval.cli.env;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** The form an environment's URL must have, and when two URLs are the same server. */
public final class Urls {

  private Urls() {}

  /**
   * Why {@code url} cannot be an environment's address, or empty when it can: http or https, a
   * host, no user info, query or fragment (a credential in a URL would be printed by env list).
   */
  public static Optional<String> problem(String url) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("not a URL (" + e.getReason() + ")");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.of("must start with http:// or https://");
    }
    if (u.getHost() == null) {
      return Optional.of("has no host");
    }
    if (u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) {
      return Optional.of("must be scheme://host[:port][/path], without user, query or fragment");
    }
    return Optional.empty();
  }

  /**
   * True when both URLs name one server: same scheme, host (any case) and port (the scheme's
   * default when absent), and the same path apart from trailing slashes.
   */
  public static boolean sameOrigin(String a, String b) {
    Optional<String> ka = key(a);
    return ka.isPresent() && ka.equals(key(b));
  }

  private static Optional<String> key(String url) {
    if (url == null) {
      return Optional.empty();
    }
    try {
      URI u = new URI(url.strip());
      if (u.getScheme() == null || u.getHost() == null) {
        return Optional.empty();
      }
      String scheme = u.getScheme().toLowerCase(Locale.ROOT);
      int port = u.getPort() != -1 ? u.getPort() : scheme.equals("https") ? 443 : 80;
      String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
      return Optional.of(scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port + path);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}
