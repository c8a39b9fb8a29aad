package io.serval.bench;

import io.serval.bench.report.ResultChart;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Redraws the charts of saved results without running a benchmark again: each results.csv or
 * results.md given gets a PNG of the same name beside it.
 */
@Command(
    name = "redraw-charts",
    mixinStandardHelpOptions = true,
    description = "Draw the throughput/p99 PNG of saved benchmark results (CSV or markdown table).")
public final class RedrawCharts implements Callable<Integer> {

  @Parameters(paramLabel = "RESULTS", description = "results.csv or results.md files")
  List<Path> results;

  @Option(names = "--repo-root", description = "Repository root; relative paths are read from it.")
  Path repoRoot = Path.of("").toAbsolutePath();

  @Option(names = "--title", description = "Chart title (default: the file name).")
  String title;

  public static void main(String[] args) {
    System.exit(new CommandLine(new RedrawCharts()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    for (Path r : results) {
      Path file = repoRoot.resolve(r);
      String name = file.getFileName().toString();
      Path png = file.resolveSibling(name.replaceFirst("\\.(csv|md)$", "") + ".png");
      ResultChart.redraw(file, png, title != null ? title : name.replaceFirst("\\.(csv|md)$", ""));
      System.out.println("written " + png);
    }
    return 0;
  }
}
