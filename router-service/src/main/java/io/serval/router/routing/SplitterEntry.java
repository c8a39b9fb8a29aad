package io.serval.router.routing;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A traffic splitter: primary APIs picked by weight, and shadow APIs each mirrored on their own
 * share of requests.
 */
public final class SplitterEntry {
  /** A mirrored API and the percent of the splitter's requests it receives a copy of. */
  public record Shadow(ApiEntry api, double percent) {}

  private final String name;
  private final List<ApiEntry> primaries;
  private final WeightedPicker picker;
  private final List<Shadow> shadows;

  SplitterEntry(String name, List<ApiEntry> primaries, double[] weights, List<Shadow> shadows) {
    this.name = name;
    this.primaries = List.copyOf(primaries);
    this.picker = WeightedPicker.of(weights);
    this.shadows = List.copyOf(shadows);
  }

  public String name() {
    return name;
  }

  public ApiEntry pickPrimary(RandomGenerator random) {
    return primaries.get(picker.pick(random));
  }

  public List<Shadow> shadows() {
    return shadows;
  }
}
