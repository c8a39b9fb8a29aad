package io.serval.autoscaler.simulation;

import java.util.List;
import java.util.Locale;

/**
 * What a run achieved, as one table row.
 *
 * @param firstScaleUpSeconds seconds from the trace's change to the first larger request; -1 if
 *     none or no change
 * @param downToMinSeconds seconds from the change until the replicas reached minReplicas for good;
 *     -1 if never
 * @param queuedSeconds seconds in which at least one request waited in the queue
 */
public record Outcome(
    String trace,
    String policy,
    int firstScaleUpSeconds,
    int downToMinSeconds,
    int queuedSeconds,
    double peakQueue,
    double rejected,
    int peakReplicas,
    double replicaMinutes,
    int scaleChanges,
    int finalReplicas) {

  public static Outcome of(SimulationRun run) {
    List<Sample> s = run.samples();
    LoadTrace trace = run.scenario().trace();
    int change = trace.changeAt();
    int firstUp = -1;
    if (change >= 0) {
      int at = run.firstScaleUpAfter(change);
      firstUp = at < 0 ? -1 : at - change;
    }
    int downToMin = -1;
    int min = run.scenario().spec().minReplicas();
    if (change >= 0 && s.get(s.size() - 1).desired() == min) {
      int i = s.size() - 1;
      while (i > 0 && s.get(i - 1).desired() == min) {
        i--;
      }
      downToMin = Math.max(0, s.get(i).second() - change);
    }
    return new Outcome(
        trace.name(),
        run.scenario().label(),
        firstUp,
        downToMin,
        (int) s.stream().filter(x -> x.queued() >= 1).count(),
        s.stream().mapToDouble(Sample::queued).max().orElse(0),
        s.get(s.size() - 1).rejected(),
        s.stream().mapToInt(Sample::desired).max().orElse(0),
        s.stream().mapToInt(Sample::ready).sum() / 60.0,
        run.scaleChanges(),
        s.get(s.size() - 1).desired());
  }

  public static String markdownHeader() {
    return "| trace | policy | first scale-up after change | down to min after change"
        + " | seconds with a queue | peak queue | rejected | peak replicas | replica-minutes"
        + " | scale changes | final replicas |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|\n";
  }

  public String markdownRow() {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %s | %d | %.0f | %.0f | %d | %.1f | %d | %d |%n",
        trace,
        policy,
        firstScaleUpSeconds < 0 ? "-" : firstScaleUpSeconds + " s",
        downToMinSeconds < 0 ? "-" : downToMinSeconds + " s",
        queuedSeconds,
        peakQueue,
        rejected,
        peakReplicas,
        replicaMinutes,
        scaleChanges,
        finalReplicas);
  }
}
