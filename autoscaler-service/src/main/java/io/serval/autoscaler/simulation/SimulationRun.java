package io.serval.autoscaler.simulation;

import java.util.List;

/** The per-second samples of one scenario. */
public record SimulationRun(Scenario scenario, List<Sample> samples) {

  /** The first second at or after {@code from} at which more replicas were asked for. */
  public int firstScaleUpAfter(int from) {
    int before = samples.get(Math.max(0, from - 1)).desired();
    for (Sample s : samples.subList(from, samples.size())) {
      if (s.desired() > before) {
        return s.second();
      }
    }
    return -1;
  }

  /** How many times the desired replicas changed. */
  public int scaleChanges() {
    int changes = 0;
    for (int i = 1; i < samples.size(); i++) {
      if (samples.get(i).desired() != samples.get(i - 1).desired()) {
        changes++;
      }
    }
    return changes;
  }
}
