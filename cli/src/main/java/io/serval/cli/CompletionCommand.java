package io.serval.cli;

import io.serval.cli.exit.ExitCode;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code serval completion bash|zsh}: the shell completion script, generated from the command model
 * at run time so that every verb and option the CLI has is completed without a list to keep up to
 * date.
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    header = "Print the shell completion script for bash or zsh.",
    description = {
      "Prints a script that completes serval's verbs and options. Load it in the running shell,"
          + " or keep it loaded in new ones:",
      "  bash: source <(serval completion bash), or in ~/.bashrc, or saved to"
          + " ~/.local/share/bash-completion/completions/serval",
      "  zsh:  source <(serval completion zsh) in ~/.zshrc (it turns on bashcompinit)"
    },
    footerHeading = "%nExample:%n",
    footer = "  source <(serval completion bash)")
public class CompletionCommand implements Callable<Integer> {

  /** The shells the script is written for. */
  public enum Shell {
    bash,
    zsh
  }

  @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var root = spec.root().commandLine();
    // picocli writes one script for both shells: in zsh it loads compinit and bashcompinit first,
    // so the bash functions serve zsh's completion system as they are.
    String script = AutoComplete.bash(root.getCommandName(), root);
    var out = spec.commandLine().getOut();
    out.print(script);
    out.flush();
    return ExitCode.OK;
  }
}
