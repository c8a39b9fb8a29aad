package io.serval.operator.api;

import io.quarkus.runtime.Startup;
import io.serval.operator.OperatorConfig;
import io.serval.operator.state.AtomicFiles;
import io.serval.operator.state.StateStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The bearer token of the mutating management calls, generated on first start into
 * {state-dir}/token, readable by the owner only (0600); the CLI reads it from there.
 */
// Eager: load state and create the token at start, failing fast on a bad state directory.
@Startup
@Singleton
public class ApiToken {

  private static final Logger LOG = Logger.getLogger(ApiToken.class);
  public static final String FILE_NAME = "token";

  private final boolean enabled;
  private final Path file;
  private final byte[] token;

  @Inject
  public ApiToken(OperatorConfig config, StateStore store) {
    this.enabled = config.auth().enabled();
    this.file = store.dir().resolve(FILE_NAME);
    if (!enabled) {
      LOG.warn("serval.operator.auth.enabled=false: mutating management calls need no token");
      this.token = new byte[0];
      return;
    }
    try {
      if (!Files.exists(file)) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        AtomicFiles.write(
            file,
            fresh.getBytes(StandardCharsets.UTF_8),
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        LOG.infof("generated the management API token in %s", file);
      }
      this.token = Files.readString(file).trim().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create or read the API token " + file, e);
    }
    if (token.length == 0) {
      throw new IllegalStateException("the API token file " + file + " is empty");
    }
  }

  public boolean enabled() {
    return enabled;
  }

  public Path file() {
    return file;
  }

  /** Constant-time, so response times say nothing about how much of a guess was right. */
  public boolean accepts(String presented) {
    return presented != null
        && MessageDigest.isEqual(token, presented.trim().getBytes(StandardCharsets.UTF_8));
  }

  /** For tests and the CLI in the same process. */
  public String value() {
    return new String(token, StandardCharsets.UTF_8);
  }
}
