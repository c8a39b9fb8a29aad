package io.serval.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code serval version}: the CLI's version, from the jar manifest. */
@Command(name = "version", description = "Print the CLI version.")
public class VersionCommand implements Runnable {

  static String version() {
    String v = VersionCommand.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  @Override
  public void run() {
    System.out.println("serval " + version());
  }

  /** Feeds {@code serval --version}. */
  public static class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"serval " + version()};
    }
  }
}
