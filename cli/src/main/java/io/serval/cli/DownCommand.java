package io.serval.cli;

import io.serval.cli.exit.ExitCode;
import io.serval.cli.platform.PlatformStopper;
import io.serval.cli.platform.ServalHome;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code serval down}: stops what {@code serval up} started, replicas included. */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    header = "Stop the platform that up started, replicas included.",
    description =
        "Stop the platform that `serval up` started: router, autoscaler, operator and every"
            + " predictor replica, each asked to stop (SIGTERM) and killed after the grace period."
            + " Specs and revisions stay in $SERVAL_HOME/state: the next `serval up` brings the"
            + " APIs back.",
    footerHeading = "%nExample:%n",
    footer = "  ./serval down")
public class DownCommand implements Callable<Integer> {

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      defaultValue = "20s",
      converter = DurationConverter.class,
      description =
          "How long each process may take to stop before it is killed (default: ${DEFAULT-VALUE}).")
  Duration grace;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ServalHome home = ServalHome.resolve();
    out.println("Stopping Serval (" + home.dir() + ")");
    out.flush();
    var result = new PlatformStopper(home, out).down(grace);
    if (result.stopped() == 0) {
      out.println("Serval was not running: nothing to stop.");
    } else {
      out.println(
          "Serval is down: "
              + result.stopped()
              + " process"
              + (result.stopped() == 1 ? "" : "es")
              + " stopped"
              + (result.forced() > 0
                  ? " (" + result.forced() + " killed after the grace period)"
                  : "")
              + ". Specs are kept; ./serval up brings them back.");
    }
    if (!result.busyPorts().isEmpty()) {
      out.println(
          "Note: ports "
              + result.busyPorts()
              + " are still in use by another program (not one Serval started).");
    }
    out.flush();
    return ExitCode.OK;
  }
}
