package io.serval.cli;

import io.serval.cli.env.Environment;
import io.serval.cli.env.EnvironmentFile;
import io.serval.cli.env.EnvironmentName;
import io.serval.cli.env.Environments;
import io.serval.cli.env.SecretFile;
import io.serval.cli.env.Urls;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import io.serval.cli.output.Table;
import io.serval.cli.platform.ServalHome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code serval env}: named platforms (management URL, token file, router, API key file) kept in
 * $SERVAL_HOME/environments.yaml, chosen per command with --env or once with {@code env use}.
 */
@Command(
    name = "env",
    mixinStandardHelpOptions = true,
    header = "Manage environments: the platforms the CLI talks to, by name.",
    description =
        "An environment names a platform's management API URL, the file holding its token (sent"
            + " to that URL only), and optionally its router and the file holding its API key"
            + " (sent to that router only). They are kept in $SERVAL_HOME/environments.yaml"
            + " (0600). Every verb that talks to a platform takes --env NAME; without it, the"
            + " environment chosen by `serval env use` applies.",
    subcommands = {
      EnvCommand.Add.class,
      EnvCommand.ListEnvs.class,
      EnvCommand.Use.class,
      EnvCommand.Remove.class
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  serval env add prod --url https://serval.example.com --token-file ~/.serval/prod-token",
      "  serval env use prod",
      "  serval env list"
    })
public class EnvCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCode.OK;
  }

  static EnvironmentFile file() {
    return new EnvironmentFile(ServalHome.resolve().environmentsFile());
  }

  static String checkedName(String verb, String name) {
    EnvironmentName.problem(name)
        .ifPresent(
            p -> {
              throw new CliException(ExitCode.USAGE, verb + ": NAME: " + p);
            });
    return name;
  }

  /** {@code serval env add NAME --url URL [--token-file F] [--router URL] [--api-key-file F]}. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      header = "Add an environment, or replace the one of that name.",
      description =
          "The token and API key are read from their files whenever a command needs them; the"
              + " files are checked now and must stay where they are.",
      footerHeading = "%nExample:%n",
      footer =
          "  serval env add prod --url https://serval.example.com --token-file"
              + " ~/.serval/prod-token --router https://predict.example.com")
  static class Add implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "A DNS-1123 label: prod, eu-1.")
    String name;

    @Option(
        names = "--url",
        required = true,
        paramLabel = "URL",
        description = "The management API (the operator).")
    String url;

    @Option(
        names = "--token-file",
        paramLabel = "FILE",
        description = "File holding the management API's token; sent to --url only.")
    Path tokenFile;

    @Option(names = "--router", paramLabel = "URL", description = "The router (the data plane).")
    String router;

    @Option(
        names = "--api-key-file",
        paramLabel = "FILE",
        description = "File holding the router's API key; sent to --router only.")
    Path apiKeyFile;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      String verb = "env add";
      checkedName(verb, name);
      checkUrl(verb, "--url", url);
      if (router != null) {
        checkUrl(verb, "--router", router);
      }
      if (apiKeyFile != null && router == null) {
        throw new CliException(
            ExitCode.USAGE,
            verb + ": --api-key-file: needs --router (the key goes to that router only)");
      }
      Optional<Path> token =
          Optional.ofNullable(tokenFile).map(p -> checkFile(verb, "--token-file", p));
      Optional<Path> key =
          Optional.ofNullable(apiKeyFile).map(p -> checkFile(verb, "--api-key-file", p));
      EnvironmentFile file = file();
      Environments envs = file.read();
      boolean replaced = envs.get(name).isPresent();
      file.write(envs.with(new Environment(name, url, token, Optional.ofNullable(router), key)));
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "environment "
              + name
              + (replaced ? " replaced" : " added")
              + (envs.current().filter(name::equals).isPresent()
                  ? " (current)"
                  : "; use it with --env "
                      + name
                      + ", or for every command: serval env use "
                      + name));
      out.flush();
      return ExitCode.OK;
    }

    private static void checkUrl(String verb, String option, String value) {
      Urls.problem(value)
          .ifPresent(
              p -> {
                throw new CliException(ExitCode.USAGE, verb + ": " + option + ": " + p);
              });
    }

    private static Path checkFile(String verb, String option, Path p) {
      Path abs = p.toAbsolutePath().normalize();
      SecretFile.read(abs, verb + ": " + option);
      return abs;
    }
  }

  /** {@code serval env list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      header = "List the environments; * marks the current one.",
      description = "Shows where tokens and keys are read from, never the tokens themselves.")
  static class ListEnvs implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      EnvironmentFile file = file();
      Environments envs = file.read();
      PrintWriter out = spec.commandLine().getOut();
      if (envs.byName().isEmpty()) {
        out.println(
            "no environments in " + file.path() + "; add one with serval env add NAME --url URL");
      } else {
        Table t = new Table("CURRENT", "NAME", "URL", "TOKEN FILE", "ROUTER", "API KEY FILE");
        envs.byName()
            .values()
            .forEach(
                e ->
                    t.row(
                        envs.current().filter(e.name()::equals).isPresent() ? "*" : "",
                        e.name(),
                        e.url(),
                        e.tokenFile().map(Path::toString).orElse("-"),
                        e.router().orElse("-"),
                        e.apiKeyFile().map(Path::toString).orElse("-")));
        out.print(t.render());
      }
      out.flush();
      return ExitCode.OK;
    }
  }

  /** The environments in the file, after checking that NAME is a valid name of one of them. */
  private static Environments existing(String verb, String name, EnvironmentFile file) {
    checkedName(verb, name);
    Environments envs = file.read();
    if (envs.get(name).isEmpty()) {
      throw new CliException(
          ExitCode.USAGE, verb + ": NAME: no environment " + name + " (serval env list)");
    }
    return envs;
  }

  /** {@code serval env use NAME}. */
  @Command(
      name = "use",
      mixinStandardHelpOptions = true,
      header = "Make an environment the one every command uses when --env is not given.")
  static class Use implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "An environment.")
    String name;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      EnvironmentFile file = file();
      Environments envs = existing("env use", name, file);
      file.write(envs.using(name));
      spec.commandLine().getOut().println("using environment " + name);
      spec.commandLine().getOut().flush();
      return ExitCode.OK;
    }
  }

  /** {@code serval env remove NAME}. */
  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      header = "Remove an environment (its token and key files stay).")
  static class Remove implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "An environment.")
    String name;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      EnvironmentFile file = file();
      Environments envs = existing("env remove", name, file);
      boolean wasCurrent = envs.current().filter(name::equals).isPresent();
      file.write(envs.without(name));
      spec.commandLine()
          .getOut()
          .println(
              "environment "
                  + name
                  + " removed"
                  + (wasCurrent ? "; no environment is current now" : ""));
      spec.commandLine().getOut().flush();
      return ExitCode.OK;
    }
  }
}
