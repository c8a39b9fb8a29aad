package io.serval.cli;

import io.serval.cli.client.AutoscalerClient;
import io.serval.cli.client.ManagementClient;
import io.serval.cli.client.PlatformException;
import io.serval.cli.client.RouterClient;
import io.serval.cli.exit.CliException;
import io.serval.cli.output.VersionReport;
import io.serval.cli.output.VersionReport.Service;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code serval version}: the CLI's version and the platform's (operator, router, autoscaler), with
 * a warning on stderr when they differ. Exit 0 even then, and when the platform cannot be reached:
 * the versions are information, not a check.
 */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    header = "Print the versions of the CLI and of the platform's services.",
    description = {
      "Print this CLI's version and the version each platform service reports: the operator"
          + " (GET /v1/version, with the token), the router (its V2 server metadata, GET /v2, with"
          + " the API key if it has keys) and the autoscaler (GET /v1/version).",
      "Warns on stderr when a service runs another version than the CLI; a service that cannot"
          + " be reached is said so. Exits 0 in both cases. serval --version prints the CLI's"
          + " version only, without asking the platform."
    })
public class VersionCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  /** The Maven project version the build wrote into version.properties: the CLI's one source. */
  static String version() {
    Properties p = new Properties();
    try (InputStream in = VersionCommand.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties is missing from the CLI's jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }

  @Override
  public Integer call() {
    VersionReport report =
        new VersionReport(
            version(),
            List.of(
                ask(
                    "operator",
                    connection::management,
                    ManagementClient::url,
                    ManagementClient::version),
                ask("router", connection::router, RouterClient::url, RouterClient::version),
                ask(
                    "autoscaler",
                    connection::autoscaler,
                    AutoscalerClient::url,
                    AutoscalerClient::version)));
    PrintWriter out = spec.commandLine().getOut();
    out.print(report.table());
    out.flush();
    report.warning().ifPresent(w -> spec.commandLine().getErr().println("serval: " + w));
    return 0;
  }

  /** Asks one service; whatever goes wrong becomes the line that says why there is no version. */
  private static <C> Service ask(
      String name, Supplier<C> client, Function<C, String> url, Function<C, String> version) {
    C c;
    try {
      c = client.get();
    } catch (CliException e) {
      return Service.unavailable(name, "", e.getMessage());
    }
    try {
      return Service.reported(name, url.apply(c), version.apply(c));
    } catch (PlatformException e) {
      if (e.status() == 404) {
        return Service.unavailable(
            name, url.apply(c), "it does not report its version (a release older than this CLI?)");
      }
      return Service.unavailable(name, url.apply(c), e.getMessage());
    } catch (CliException e) {
      return Service.unavailable(name, url.apply(c), e.getMessage());
    }
  }

  /** Feeds {@code serval --version}: the CLI's version only, with no call. */
  public static class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"serval " + version()};
    }
  }
}
