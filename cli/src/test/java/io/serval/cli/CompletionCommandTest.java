package io.serval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completion script, loaded and driven by a real bash as the shell's completion would. */
@CliTest
class CompletionCommandTest {

  private static final List<String> VERBS =
      List.of(
          "up",
          "down",
          "deploy",
          "diff",
          "get",
          "describe",
          "delete",
          "rollback",
          "logs",
          "predict",
          "version",
          "completion");

  @TempDir Path dir;

  @Test
  void bashScriptIsValidAndCompletesVerbsAndOptions(CliLauncher launcher) throws Exception {
    LaunchResult r = launcher.launch("completion", "bash");
    assertThat(r.exitCode()).isZero();
    Path script = dir.resolve("serval-completion.bash");
    Files.writeString(script, r.getOutput() + "\n");

    assertThat(bash("-n", script.toString()).exitCode).isZero();

    List<String> verbs = complete(script, "serval", "");
    assertThat(verbs).containsAll(VERBS);

    List<String> deployOptions = complete(script, "serval", "deploy", "--");
    assertThat(deployOptions).contains("--timeout", "--no-wait", "--url", "--token", "--help");
    assertThat(deployOptions).doesNotContain("--watch");

    assertThat(complete(script, "serval", "get", "--wa"))
        .containsExactlyInAnyOrder("--watch", "--watch-count");
    assertThat(complete(script, "serval", "completion", "")).contains("bash", "zsh");
  }

  @Test
  void zshGetsTheScriptThatLoadsBashcompinit(CliLauncher launcher) {
    LaunchResult r = launcher.launch("completion", "zsh");

    assertThat(r.exitCode()).isZero();
    assertThat(r.getOutput()).contains("bashcompinit", "_complete_serval", "deploy");
  }

  @Test
  void anUnknownShellIsAUsageError(CliLauncher launcher) {
    LaunchResult r = launcher.launch("completion", "fish");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.getErrorOutput()).contains("fish", "bash", "zsh");
  }

  /** COMPREPLY after the script's completion function ran on {@code words}, the last one typed. */
  private List<String> complete(Path script, String... words) throws Exception {
    StringBuilder array = new StringBuilder();
    for (String w : words) {
      array.append(" '").append(w).append("'");
    }
    String driver =
        "source '"
            + script
            + "'\n"
            // compopt works only while bash is completing for a user; here it would only complain
            + "compopt() { :; }\n"
            + "COMP_WORDS=("
            + array
            + " )\n"
            + "COMP_CWORD="
            + (words.length - 1)
            + "\n"
            + "COMP_LINE=\"${COMP_WORDS[*]}\"\nCOMP_POINT=${#COMP_LINE}\n"
            + "_complete_serval serval \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
            + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Path file = dir.resolve("drive.bash");
    Files.writeString(file, driver);
    Result res = bash(file.toString());
    assertThat(res.exitCode).as(res.output).isZero();
    return res.output.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private record Result(int exitCode, String output) {}

  private static Result bash(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add("/bin/bash");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }
}
