package io.serval.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The platform credential of the control plane (prefix serval.platform), the same on every service.
 */
@ConfigMapping(prefix = "serval.platform")
public interface PlatformAuthConfig {

  /**
   * File holding the platform token (one line): a mounted Kubernetes Secret, or the file {@code
   * serval up} generates ({SERVAL_HOME}/platform-token, mode 0600).
   */
  Optional<Path> tokenFile();

  /**
   * The platform token itself, for a Secret passed as the environment variable
   * SERVAL_PLATFORM_TOKEN. Set this or token-file, not both.
   */
  Optional<String> token();

  /**
   * Whether servers (operator, autoscaler) require the token on every control-plane RPC. Off only
   * when set explicitly, for development; clients send the token whenever one is configured.
   */
  @WithDefault("true")
  boolean authEnabled();
}
