package io.serval.cli.env;

import java.util.Optional;
import java.util.regex.Pattern;

/** An environment's name: a DNS-1123 label, like the platform's own resource names. */
public final class EnvironmentName {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private EnvironmentName() {}

  /** Why {@code name} is not a valid name, or empty when it is. */
  public static Optional<String> problem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("is empty");
    }
    if (name.length() > 63) {
      return Optional.of("is longer than 63 characters");
    }
    if (!LABEL.matcher(name).matches()) {
      return Optional.of(
          "'"
              + name
              + "' must be lower-case letters, digits and '-', starting and ending with a letter"
              + " or digit (a DNS-1123 label)");
    }
    return Optional.empty();
  }
}
