package io.serval.router.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * RFC 7240's {@code Prefer} request header, as far as the router reads it: whether the client asks
 * for {@code respond-async}, and how long it would wait ({@code wait=N}, section 4.3). Preferences
 * are comma-separated, each a token with an optional {@code =value} and {@code ;parameters}; tokens
 * compare case-insensitively; values may be quoted strings (with commas and semicolons inside, and
 * backslash escapes). Every other preference is ignored, as the RFC asks of a server that does not
 * support it; so is a header it cannot parse.
 */
public final class PreferHeader {
  /** The preference that asks for an async request (RFC 7240 section 4.1). */
  public static final String RESPOND_ASYNC = "respond-async";

  /** The preference that says how long the client waits for an answer (section 4.3). */
  public static final String WAIT = "wait";

  private PreferHeader() {}

  /** Whether any of the {@code Prefer} header values asks for {@code respond-async}. */
  public static boolean respondAsync(List<String> values) {
    for (String value : values) {
      for (String preference : preferences(value)) {
        if (RESPOND_ASYNC.equalsIgnoreCase(token(preference))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The seconds of the first {@code wait} preference whose value is a delta-seconds (digits, quoted
   * or not); empty when there is none. A value too large for a long reads as {@link Long#MAX_VALUE}
   * (the caller caps it anyway).
   */
  public static OptionalLong waitSeconds(List<String> values) {
    for (String value : values) {
      for (String preference : preferences(value)) {
        if (!WAIT.equalsIgnoreCase(token(preference))) {
          continue;
        }
        OptionalLong seconds = deltaSeconds(preference);
        if (seconds.isPresent()) {
          return seconds;
        }
      }
    }
    return OptionalLong.empty();
  }

  /** The preference's value (after '=', before ';') as delta-seconds, if it is one. */
  private static OptionalLong deltaSeconds(String preference) {
    int eq = preference.indexOf('=');
    int semi = preference.indexOf(';');
    if (eq < 0 || (semi >= 0 && semi < eq)) {
      return OptionalLong.empty();
    }
    String v = preference.substring(eq + 1, semi < 0 ? preference.length() : semi).strip();
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    if (v.isEmpty() || v.length() > 30 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(v));
    } catch (NumberFormatException tooLarge) {
      return OptionalLong.of(Long.MAX_VALUE);
    }
  }

  /**
   * The header value split at the commas outside quoted strings; of a value with an unterminated
   * quoted string only the preferences before it (the rest is not a header we can read).
   */
  private static List<String> preferences(String value) {
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    int start = 0;
    boolean quoted = false;
    for (int i = 0; i <= value.length(); i++) {
      char c = i < value.length() ? value.charAt(i) : ',';
      if (quoted) {
        if (c == '\\') {
          i++; // quoted-pair: the next character is taken as it is
        } else if (c == '"') {
          quoted = false;
        }
        if (i >= value.length()) {
          return out; // an unterminated quoted string: what came before it still counts
        }
        continue;
      }
      if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(value.substring(start, Math.min(i, value.length())));
        start = i + 1;
      }
    }
    return out;
  }

  /** The preference's name: what comes before its first '=' or ';', trimmed of whitespace. */
  private static String token(String preference) {
    int end = preference.length();
    for (int i = 0; i < preference.length(); i++) {
      char c = preference.charAt(i);
      if (c == '=' || c == ';') {
        end = i;
        break;
      }
    }
    return preference.substring(0, end).strip();
  }
}
