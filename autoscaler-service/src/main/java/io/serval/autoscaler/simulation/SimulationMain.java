package io.serval.autoscaler.simulation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays every trace of {@link LoadTraces#all()} through the policy with Serval's and Cortex's
 * defaults. Arguments: the directory for {@code <trace>.png} and {@code outcomes.md} (default
 * {@code docs/autoscaling}) and the one for {@code <trace>-<policy>.csv} (default {@code
 * autoscaler-service/target/simulation}). The table is also printed. Needs nothing but the module's
 * classes: see docs/autoscaling.md.
 */
public final class SimulationMain {

  private SimulationMain() {}

  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path out = Path.of(args.length > 0 ? args[0] : "docs/autoscaling");
    Path csv = Path.of(args.length > 1 ? args[1] : "autoscaler-service/target/simulation");
    Files.createDirectories(out);
    Files.createDirectories(csv);
    StringBuilder table = new StringBuilder(Outcome.markdownHeader());
    for (LoadTrace trace : LoadTraces.all()) {
      List<SimulationRun> runs = new ArrayList<>();
      for (Scenario scenario : Scenarios.sideBySide(trace)) {
        SimulationRun run = Simulator.run(scenario);
        runs.add(run);
        CsvWriter.write(run, csv.resolve(trace.name() + "-" + scenario.label() + ".csv"));
        table.append(Outcome.of(run).markdownRow());
      }
      TracePlot.draw(runs, out.resolve(trace.name() + ".png"));
    }
    Files.writeString(out.resolve("outcomes.md"), table, StandardCharsets.UTF_8);
    System.out.print(table);
    System.out.println("wrote PNG and outcomes.md to " + out.toAbsolutePath());
    System.out.println("wrote CSV to " + csv.toAbsolutePath());
  }
}
