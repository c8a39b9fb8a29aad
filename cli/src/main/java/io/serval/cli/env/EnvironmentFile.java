package io.serval.cli.env;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code $SERVAL_HOME/environments.yaml}: written 0600, and refused when others may read or write
 * it, as ssh refuses a key file that is open to others (it says which token files go where).
 *
 * <pre>
 * current: prod
 * environments:
 *   prod:
 *     url: https://serval.example.com
 *     token-file: /home/me/.serval/prod-token
 *     router: https://predict.example.com
 *     api-key-file: /home/me/.serval/prod-api-key
 * </pre>
 */
public final class EnvironmentFile {

  /** Far more than any real list of environments; a larger file is not one of ours. */
  static final long MAX_BYTES = 256 * 1024;

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /**
   * Built on first use (holder idiom): every command looks for the file, and most find none; the
   * YAML mapper would cost each of them its start time.
   */
  private static final class Yaml {
    static final ObjectMapper MAPPER =
        new ObjectMapper(
            new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  }

  private final Path file;

  public EnvironmentFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  /** The environments, none when the file does not exist. */
  public Environments read() {
    if (!Files.exists(file)) {
      return Environments.NONE;
    }
    checkPermissions();
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw bad("is over " + MAX_BYTES + " bytes");
      }
      JsonNode root = Yaml.MAPPER.readTree(file.toFile());
      if (root == null || root.isMissingNode() || root.isNull()) {
        return Environments.NONE;
      }
      if (!root.isObject()) {
        throw bad("is not a mapping");
      }
      Map<String, Environment> all = new TreeMap<>();
      JsonNode envs = root.path("environments");
      for (Iterator<Map.Entry<String, JsonNode>> it = envs.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        all.put(e.getKey(), parse(e.getKey(), e.getValue()));
      }
      Optional<String> current = text(root, "current");
      return new Environments(current, new TreeMap<>(all));
    } catch (IOException e) {
      throw bad("cannot be read: " + e.getMessage());
    }
  }

  /** Writes {@code envs} to a new 0600 file beside this one, then moves it into place. */
  public void write(Environments envs) {
    ObjectNode root = Yaml.MAPPER.createObjectNode();
    envs.current().ifPresent(c -> root.put("current", c));
    ObjectNode all = root.putObject("environments");
    envs.byName()
        .forEach(
            (name, e) -> {
              ObjectNode n = all.putObject(name);
              n.put("url", e.url());
              e.tokenFile().ifPresent(f -> n.put("token-file", f.toString()));
              e.router().ifPresent(r -> n.put("router", r));
              e.apiKeyFile().ifPresent(f -> n.put("api-key-file", f.toString()));
            });
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      if (posix()) {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createFile(tmp);
      }
      Files.write(tmp, Yaml.MAPPER.writeValueAsBytes(root));
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new CliException(ExitCode.FAILED, "cannot write " + file + ": " + e, e);
    }
  }

  private void checkPermissions() {
    if (!posix()) {
      return;
    }
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(p)) {
        throw new CliException(
            ExitCode.USAGE,
            file
                + " is open to others (permissions "
                + PosixFilePermissions.toString(p)
                + "); it says which token goes where, so it must be yours alone: chmod 600 "
                + file);
      }
    } catch (IOException e) {
      throw bad("cannot be read: " + e.getMessage());
    }
  }

  private Environment parse(String name, JsonNode n) {
    String where = "environment " + name;
    EnvironmentName.problem(name)
        .ifPresent(
            p -> {
              throw bad(where + ": the name " + p);
            });
    if (!n.isObject()) {
      throw bad(where + " is not a mapping");
    }
    String url = text(n, "url").orElseThrow(() -> bad(where + " has no url"));
    Urls.problem(url)
        .ifPresent(
            p -> {
              throw bad(where + ": url " + p);
            });
    Optional<String> router = text(n, "router");
    router
        .flatMap(Urls::problem)
        .ifPresent(
            p -> {
              throw bad(where + ": router " + p);
            });
    return new Environment(
        name,
        url,
        text(n, "token-file").map(Path::of),
        router,
        text(n, "api-key-file").map(Path::of));
  }

  private static Optional<String> text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.isTextual() || v.asText().isBlank()
        ? Optional.empty()
        : Optional.of(v.asText());
  }

  private CliException bad(String why) {
    return new CliException(ExitCode.USAGE, file + ": " + why);
  }

  private boolean posix() {
    return file.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
