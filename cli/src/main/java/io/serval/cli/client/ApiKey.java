package io.serval.cli.client;

import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The key the router's data plane asks for when {@code serval.router.access.api-keys} is set, sent
 * as {@code Authorization: Bearer <key>} (HTTP header and gRPC metadata alike).
 */
public final class ApiKey {

  /** Visible ASCII without commas: a header value, and one item of the router's key list. */
  private static final Pattern FORM = Pattern.compile("[\\x21-\\x2B\\x2D-\\x7E]+");

  /** The router's own setting: {@code serval up} starts the router with it in its environment. */
  public static final String ROUTER_ENV = "SERVAL_ROUTER_ACCESS_API_KEYS";

  private ApiKey() {}

  /**
   * The key from {@code option}, else $SERVAL_API_KEY, else the first key of
   * $SERVAL_ROUTER_ACCESS_API_KEYS (what a router started from this environment requires).
   *
   * @throws CliException USAGE when the key is not a plain token
   */
  public static Optional<String> resolve(String option) {
    return resolve(option, Optional.empty());
  }

  /**
   * As {@link #resolve(String)}, with {@code environmentKey} (the key of the environment whose
   * router is called) between $SERVAL_API_KEY and $SERVAL_ROUTER_ACCESS_API_KEYS.
   */
  public static Optional<String> resolve(String option, Optional<String> environmentKey) {
    return resolve(
        option,
        System.getenv("SERVAL_API_KEY"),
        environmentKey.orElse(null),
        System.getenv(ROUTER_ENV));
  }

  static Optional<String> resolve(String option, String env, String routerEnv) {
    return resolve(option, env, null, routerEnv);
  }

  static Optional<String> resolve(
      String option, String env, String environmentKey, String routerEnv) {
    String key = blankToNull(option);
    String from = "--api-key";
    if (key == null) {
      key = blankToNull(env);
      from = "SERVAL_API_KEY";
    }
    if (key == null) {
      key = blankToNull(environmentKey);
      from = "the environment's API key file";
    }
    if (key == null && blankToNull(routerEnv) != null) {
      key = blankToNull(routerEnv.split(",")[0]);
      from = ROUTER_ENV;
    }
    if (key == null) {
      return Optional.empty();
    }
    key = key.strip();
    if (!FORM.matcher(key).matches()) {
      throw new CliException(
          ExitCode.USAGE,
          from
              + " must be printable ASCII without spaces or commas (it travels as an HTTP header"
              + " and in the router's comma-separated key list)");
    }
    return Optional.of(key);
  }

  public static String header(String key) {
    return "Bearer " + key;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
