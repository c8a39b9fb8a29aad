package io.serval.operator.api;

import io.quarkus.runtime.Startup;
import io.serval.operator.OperatorConfig;
import io.serval.operator.state.StateStore;
import io.serval.security.TokenFiles;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The bearer tokens of the management API: the admin token (every call) and a read-only token (GET
 * calls). By default both are generated on first start into {state-dir}/token and
 * {state-dir}/read-token, readable by the owner only (0600); the CLI reads the admin token from
 * there. Several operator replicas share tokens given as files (a mounted Secret).
 */
// Eager: load state and create the tokens at start, failing fast on a bad state directory.
@Startup
@Singleton
public class ApiToken {

  private static final Logger LOG = Logger.getLogger(ApiToken.class);
  public static final String FILE_NAME = "token";
  public static final String READ_FILE_NAME = "read-token";

  /** What a presented token allows. */
  public enum Access {
    NONE,
    READ,
    WRITE
  }

  private final boolean enabled;
  private final Path file;
  private final Path readFile;
  private final byte[] token;
  private final byte[] readToken;

  @Inject
  public ApiToken(OperatorConfig config, StateStore store) {
    this.enabled = config.auth().enabled();
    this.file = config.auth().tokenFile().orElse(store.dir().resolve(FILE_NAME));
    this.readFile = config.auth().readTokenFile().orElse(store.dir().resolve(READ_FILE_NAME));
    if (!enabled) {
      LOG.warn("serval.operator.auth.enabled=false: management calls need no token");
      this.token = new byte[0];
      this.readToken = new byte[0];
      return;
    }
    this.token = load(file, config.auth().tokenFile(), "serval.operator.auth.token-file");
    this.readToken =
        load(readFile, config.auth().readTokenFile(), "serval.operator.auth.read-token-file");
    if (MessageDigest.isEqual(token, readToken)) {
      throw new IllegalStateException(
          "the read-only token ("
              + readFile
              + ") equals the admin token ("
              + file
              + "): give each its own secret");
    }
  }

  private static byte[] load(Path file, Optional<Path> configured, String property) {
    if (configured.isEmpty() && TokenFiles.createIfAbsent(file)) {
      LOG.infof("generated a management API token in %s", file);
    }
    byte[] value;
    try {
      value = Files.readString(file).trim().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the management API token "
              + file
              + (configured.isPresent() ? " (" + property + ")" : ""),
          e);
    }
    if (value.length == 0) {
      throw new IllegalStateException("the management API token file " + file + " is empty");
    }
    return value;
  }

  public boolean enabled() {
    return enabled;
  }

  /** Where the admin token is. */
  public Path file() {
    return file;
  }

  /** Where the read-only token is. */
  public Path readFile() {
    return readFile;
  }

  /**
   * What the presented token allows. Both comparisons always run and are constant-time, so that
   * response times say nothing about how much of a guess was right, nor which token it was close
   * to.
   */
  public Access access(String presented) {
    if (presented == null) {
      return Access.NONE;
    }
    byte[] p = presented.trim().getBytes(StandardCharsets.UTF_8);
    boolean write = MessageDigest.isEqual(token, p);
    boolean read = MessageDigest.isEqual(readToken, p);
    return write ? Access.WRITE : read ? Access.READ : Access.NONE;
  }

  /** Whether the presented token is the admin token. */
  public boolean accepts(String presented) {
    return access(presented) == Access.WRITE;
  }

  /** For tests and the CLI in the same process. */
  public String value() {
    return new String(token, StandardCharsets.UTF_8);
  }

  /** For tests. */
  public String readValue() {
    return new String(readToken, StandardCharsets.UTF_8);
  }
}
