package io.serval.autoscaler.simulation;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes a run's samples as CSV, one row per simulated second. */
final class CsvWriter {

  private CsvWriter() {}

  static void write(SimulationRun run, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("second,load,in_flight,queued,ready,desired,capacity,panic,rejected_total\n");
      for (Sample s : run.samples()) {
        w.write(
            String.format(
                Locale.ROOT,
                "%d,%.3f,%.3f,%.3f,%d,%d,%.1f,%d,%.1f%n",
                s.second(),
                s.load(),
                s.inFlight(),
                s.queued(),
                s.ready(),
                s.desired(),
                s.capacity(),
                s.panic() ? 1 : 0,
                s.rejected()));
      }
    }
  }
}
