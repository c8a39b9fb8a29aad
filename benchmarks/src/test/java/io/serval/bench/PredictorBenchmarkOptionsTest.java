package io.serval.bench;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The --paths grammar with the baseline build's "@base" paths. */
class PredictorBenchmarkOptionsTest {

  private static PredictorBenchmark parsed(String... args) {
    PredictorBenchmark bench = new PredictorBenchmark();
    new CommandLine(bench).parseArgs(args);
    return bench;
  }

  @Test
  void baselinePathsNeedTheBaselineJar() {
    PredictorBenchmark bench = parsed("--models", "minilm", "--paths", "inproc,rest@base");
    assertThatThrownBy(bench::validate)
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("'rest@base' needs --baseline-predictor-jar");
  }

  @Test
  void inProcessHasNoBaselineBuild() {
    PredictorBenchmark bench =
        parsed("--baseline-predictor-jar", "/old/quarkus-run.jar", "--paths", "inproc@base");
    assertThatThrownBy(bench::validate).hasMessageContaining("unknown 'inproc@base'");
  }

  @Test
  void servedPathsOfBothBuildsInterleave() {
    PredictorBenchmark bench =
        parsed(
            "--baseline-predictor-jar",
            "/old/quarkus-run.jar",
            "--paths",
            "inproc,grpc@base,grpc,rest@base,rest,rest-bin@base,rest-bin,inproc");
    assertThatCode(bench::validate).doesNotThrowAnyException();
  }
}
