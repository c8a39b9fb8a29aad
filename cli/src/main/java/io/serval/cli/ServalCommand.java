package io.serval.cli;

import picocli.CommandLine.Command;

/** The {@code serval} command: a thin client of the operator's management API. */
@Command(
    name = "serval",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Serve ONNX models as production prediction APIs.",
    subcommands = {
      UpCommand.class,
      DownCommand.class,
      DeployCommand.class,
      DiffCommand.class,
      GetCommand.class,
      DescribeCommand.class,
      DeleteCommand.class,
      RollbackCommand.class,
      LogsCommand.class,
      PredictCommand.class,
      ResultCommand.class,
      BatchCommand.class,
      VersionCommand.class,
      EnvCommand.class,
      CompletionCommand.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./serval up --example",
      "  ./serval deploy deploy/examples/minilm.yaml",
      "  ./serval get --watch",
      "  ./serval down",
      "",
      "Each command has --help. Environment: SERVAL_HOME (state, default ~/.serval), SERVAL_URL,"
          + " SERVAL_TOKEN, SERVAL_ROUTER_URL, SERVAL_AUTOSCALER_URL; named platforms: serval env."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:failed (rollout rolled back or degraded, platform would not start)",
      "2:bad command line or unreadable file",
      "3:platform unreachable",
      "4:token refused",
      "5:no such API or splitter",
      "6:refused by the platform (invalid spec, conflict)",
      "7:timed out waiting",
      "8:a batch job ran through and some of its items failed"
    })
public class ServalCommand {}
