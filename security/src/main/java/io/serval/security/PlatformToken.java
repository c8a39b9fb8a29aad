package io.serval.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The shared secret every control-plane call carries ({@code authorization: Bearer <token>}). One
 * token for the whole platform: operator, autoscaler and routers present it and check it.
 */
public final class PlatformToken {

  /** Shorter secrets are refused: a platform token is generated, never typed. */
  public static final int MIN_LENGTH = 16;

  private final byte[] value;
  private final String source;

  private PlatformToken(String value, String source) {
    String v = value == null ? "" : value.trim();
    if (v.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "the platform token from "
              + source
              + " is "
              + (v.isEmpty() ? "empty" : "shorter than " + MIN_LENGTH + " characters")
              + "; generate one, e.g. with: openssl rand -base64 32");
    }
    this.value = v.getBytes(StandardCharsets.UTF_8);
    this.source = source;
  }

  public static PlatformToken of(String value, String source) {
    return new PlatformToken(value, source);
  }

  /** Reads the token from a file (a mounted Secret, or the one {@code serval up} writes). */
  public static PlatformToken fromFile(Path file) {
    try {
      return new PlatformToken(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the platform token file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The token the config names: {@code serval.platform.token} (e.g. from a Secret as the
   * environment variable SERVAL_PLATFORM_TOKEN) or {@code serval.platform.token-file}; empty when
   * neither is set. Both at once is a mistake, refused.
   */
  public static Optional<PlatformToken> from(PlatformAuthConfig config) {
    if (config.token().isPresent() && config.tokenFile().isPresent()) {
      throw new IllegalStateException(
          "set serval.platform.token or serval.platform.token-file, not both");
    }
    if (config.token().isPresent()) {
      return Optional.of(of(config.token().get(), "serval.platform.token"));
    }
    return config.tokenFile().map(PlatformToken::fromFile);
  }

  /**
   * The token a server checks calls against; fails fast, naming what to set, when authentication is
   * on and no token is configured.
   */
  public static Optional<PlatformToken> required(PlatformAuthConfig config, String service) {
    if (!config.authEnabled()) {
      return Optional.empty();
    }
    return Optional.of(
        from(config)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the "
                            + service
                            + " needs the platform token for its control-plane gRPC: set"
                            + " serval.platform.token-file (or SERVAL_PLATFORM_TOKEN); `serval up`"
                            + " generates one. serval.platform.auth-enabled=false turns the check"
                            + " off (development only)")));
  }

  /** Constant-time, so that response times say nothing about how much of a guess was right. */
  public boolean matches(String presented) {
    return presented != null
        && MessageDigest.isEqual(value, presented.trim().getBytes(StandardCharsets.UTF_8));
  }

  /** The value of an {@code authorization} header carrying this token. */
  public String bearer() {
    return "Bearer " + new String(value, StandardCharsets.UTF_8);
  }

  /** Where the token came from, for messages (never the token itself). */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "PlatformToken(from " + source + ")";
  }
}
