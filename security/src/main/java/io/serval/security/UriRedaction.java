package io.serval.security;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the credentials a model URI may carry wherever it is shown (API views, events, logs): the
 * user-info ({@code https://user:pass@host/...}) and the values of query parameters that sign or
 * authorize the request (S3 {@code X-Amz-Signature}/{@code X-Amz-Credential}, GCS {@code
 * X-Goog-Signature}, Azure SAS {@code sig}, {@code token}, {@code access_token}, ...). The rest of
 * the URI stays readable, so that users still see which model a revision serves.
 */
public final class UriRedaction {

  /** What a hidden credential is shown as. */
  public static final String MASK = "REDACTED";

  /** Query parameters whose value is a secret, compared in lower case. */
  private static final Set<String> SECRET_PARAMS =
      Set.of(
          "sig",
          "signature",
          "token",
          "access_token",
          "id_token",
          "refresh_token",
          "key",
          "apikey",
          "api_key",
          "password",
          "passwd",
          "secret",
          "client_secret",
          "x-amz-signature",
          "x-amz-credential",
          "x-amz-security-token",
          "x-goog-signature",
          "x-goog-credential",
          "awsaccesskeyid",
          "googleaccessid",
          "secret_key");

  /** Also secret: any parameter whose name contains one of these (x-ms-..., custom signers). */
  private static final String[] SECRET_PARTS = {
    "signature", "token", "secret", "password", "credential"
  };

  // scheme://userinfo@ : the user-info ends at the last @ before the path, query or fragment.
  private static final Pattern USER_INFO =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.\\-]*://)([^/?#]*)@");

  // A URI inside free text (log lines, messages): a scheme, then anything up to white space or a
  // quote or bracket that usually closes it.
  private static final Pattern URI_IN_TEXT =
      Pattern.compile("[A-Za-z][A-Za-z0-9+.\\-]*://[^\\s\"'<>()\\[\\]{}]+");

  private UriRedaction() {}

  /** The URI with its credentials masked; null stays null, text without any is returned as is. */
  public static String redact(String uri) {
    if (uri == null || uri.isEmpty()) {
      return uri;
    }
    String out = uri;
    Matcher m = USER_INFO.matcher(out);
    if (m.find()) {
      out = m.group(1) + MASK + "@" + out.substring(m.end());
    }
    int q = out.indexOf('?');
    if (q < 0) {
      return out;
    }
    int hash = out.indexOf('#', q);
    String query = hash < 0 ? out.substring(q + 1) : out.substring(q + 1, hash);
    String fragment = hash < 0 ? "" : out.substring(hash);
    StringBuilder b = new StringBuilder(out.length()).append(out, 0, q + 1);
    String[] params = query.split("&", -1);
    for (int i = 0; i < params.length; i++) {
      if (i > 0) {
        b.append('&');
      }
      String p = params[i];
      int eq = p.indexOf('=');
      if (eq > 0 && secret(p.substring(0, eq))) {
        b.append(p, 0, eq + 1).append(MASK);
      } else {
        b.append(p);
      }
    }
    return b.append(fragment).toString();
  }

  /** Every URI in a piece of text (a log line, an error message) redacted. */
  public static String redactIn(String text) {
    if (text == null || text.indexOf("://") < 0) {
      return text;
    }
    Matcher m = URI_IN_TEXT.matcher(text);
    StringBuilder b = new StringBuilder(text.length());
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(redact(m.group())));
    }
    m.appendTail(b);
    return b.toString();
  }

  private static boolean secret(String rawName) {
    String name;
    try {
      name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      name = rawName;
    }
    name = name.toLowerCase(Locale.ROOT);
    if (SECRET_PARAMS.contains(name)) {
      return true;
    }
    for (String part : SECRET_PARTS) {
      if (name.contains(part)) {
        return true;
      }
    }
    return false;
  }
}
