package io.serval.cli.env;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A platform the CLI talks to, by name: its management API, and the token file that goes with it
 * (to that URL only), and optionally its router and the API key file that goes to that router.
 * Files are named, never copied: environments.yaml holds no secret itself.
 */
public record Environment(
    String name,
    String url,
    Optional<Path> tokenFile,
    Optional<String> router,
    Optional<Path> apiKeyFile) {

  /** The token for {@code target}, read from the token file only when target is this URL. */
  public Optional<String> tokenFor(String target) {
    if (tokenFile.isEmpty() || !Urls.sameOrigin(url, target)) {
      return Optional.empty();
    }
    return Optional.of(SecretFile.read(tokenFile.get(), "environment " + name + ": token file"));
  }

  /** The API key for {@code target}, read only when target is this environment's router. */
  public Optional<String> apiKeyFor(String target) {
    if (apiKeyFile.isEmpty() || router.isEmpty() || !Urls.sameOrigin(router.get(), target)) {
      return Optional.empty();
    }
    return Optional.of(SecretFile.read(apiKeyFile.get(), "environment " + name + ": API key file"));
  }
}
