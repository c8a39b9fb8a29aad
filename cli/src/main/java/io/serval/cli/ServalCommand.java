package io.serval.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** The {@code serval} command: a thin client of the operator's management API. */
@TopCommand
@Command(
    name = "serval",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Serve ONNX models as production prediction APIs.",
    subcommands = {VersionCommand.class})
public class ServalCommand {}
