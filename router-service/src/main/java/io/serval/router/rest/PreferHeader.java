package io.serval.router.rest;

import java.util.List;

/**
 * RFC 7240's {@code Prefer} request header, as far as the router reads it: whether the client asks
 * for {@code respond-async}. Preferences are comma-separated, each a token with an optional {@code
 * =value} and {@code ;parameters}; tokens compare case-insensitively; values may be quoted strings
 * (with commas and semicolons inside, and backslash escapes). Every other preference is ignored, as
 * the RFC asks of a server that does not support it; so is a header it cannot parse.
 */
public final class PreferHeader {
  /** The preference that asks for an async request (RFC 7240 section 4.1). */
  public static final String RESPOND_ASYNC = "respond-async";

  private PreferHeader() {}

  /** Whether any of the {@code Prefer} header values asks for {@code respond-async}. */
  public static boolean respondAsync(List<String> values) {
    for (String value : values) {
      if (value != null && hasRespondAsync(value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasRespondAsync(String value) {
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
          return false; // an unterminated quoted string: not a header we can read
        }
        continue;
      }
      if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        if (RESPOND_ASYNC.equalsIgnoreCase(token(value.substring(start, i)))) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
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
