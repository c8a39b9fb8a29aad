package io.serval.operator.control;

import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.SplitterRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a deploy would do, and the records it would replace, read under the same lock so that a
 * field-by-field comparison sees the state the plan was made against.
 *
 * @param apisBefore the deployed record of each API in the plan that exists already, by name
 * @param splittersBefore the same for splitters
 */
public record DryRun(
    List<PlannedChange> plan,
    Map<String, ApiRecord> apisBefore,
    Map<String, SplitterRecord> splittersBefore) {

  public DryRun {
    plan = List.copyOf(plan);
    apisBefore = Map.copyOf(apisBefore);
    splittersBefore = Map.copyOf(splittersBefore);
  }

  public Optional<ApiRecord> apiBefore(String name) {
    return Optional.ofNullable(apisBefore.get(name));
  }

  public Optional<SplitterRecord> splitterBefore(String name) {
    return Optional.ofNullable(splittersBefore.get(name));
  }
}
