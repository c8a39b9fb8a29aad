package io.serval.cli.client;

import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.util.Optional;

/**
 * A name on the command line: {@code NAME} (an API, else a traffic splitter), or with its kind
 * spelt out, {@code api/NAME} or {@code splitter/NAME} (an API and a splitter may share a name).
 */
public record ResourceRef(Optional<ResourceKind> kind, String name) {

  public static ResourceRef parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return new ResourceRef(Optional.empty(), requireName(text, text));
    }
    String prefix = text.substring(0, slash).toLowerCase(java.util.Locale.ROOT);
    String name = requireName(text.substring(slash + 1), text);
    return switch (prefix) {
      case "api", "apis", "realtimeapi" -> new ResourceRef(Optional.of(ResourceKind.API), name);
      case "splitter", "splitters", "trafficsplitter" ->
          new ResourceRef(Optional.of(ResourceKind.SPLITTER), name);
      default ->
          throw new CliException(
              ExitCode.USAGE,
              "unknown kind \"" + prefix + "\" in \"" + text + "\": use api/NAME or splitter/NAME");
    };
  }

  private static String requireName(String name, String whole) {
    if (name.isBlank() || name.contains("/")) {
      throw new CliException(ExitCode.USAGE, "bad name \"" + whole + "\"");
    }
    return name;
  }
}
