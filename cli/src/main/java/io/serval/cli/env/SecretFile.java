package io.serval.cli.env;

import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A token or key kept in a file of its own: one line, small; its content is never printed. */
public final class SecretFile {

  /** A token is a line; anything larger is the wrong file. */
  static final long MAX_BYTES = 16 * 1024;

  private SecretFile() {}

  /**
   * The file's content without surrounding whitespace.
   *
   * @throws CliException USAGE naming {@code what} when the file is missing, unreadable, too large
   *     or empty
   */
  public static String read(Path file, String what) {
    try {
      if (!Files.isRegularFile(file)) {
        throw new CliException(ExitCode.USAGE, what + ": no such file " + file);
      }
      if (Files.size(file) > MAX_BYTES) {
        throw new CliException(
            ExitCode.USAGE, what + ": " + file + " is over " + MAX_BYTES + " bytes");
      }
      String s = Files.readString(file).strip();
      if (s.isEmpty()) {
        throw new CliException(ExitCode.USAGE, what + ": " + file + " is empty");
      }
      return s;
    } catch (IOException e) {
      throw new CliException(ExitCode.USAGE, what + ": cannot read " + file + ": " + e, e);
    }
  }
}
