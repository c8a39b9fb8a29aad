package io.serval.operator.control;

import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.SplitterRecord;
import java.util.List;

/** What a deploy does to one resource; exactly one of api and splitter is set. */
public record PlannedChange(
    String kind,
    String name,
    Action action,
    List<String> changedSections,
    ApiRecord api,
    SplitterRecord splitter) {

  public enum Action {
    /** A new resource. */
    created,
    /** A new revision, rolled out. */
    updated,
    /** Traffic, autoscaling or rollout settings changed, applied in place. */
    configured,
    /** Same as deployed. */
    unchanged
  }

  public PlannedChange {
    changedSections = List.copyOf(changedSections);
  }

  public long generation() {
    return api != null ? api.generation() : splitter.generation();
  }

  public String message() {
    return switch (action) {
      case created ->
          name + ": created" + (api != null ? " (revision " + api.revision() + ")" : "");
      case updated ->
          name
              + ": new revision "
              + api.revision()
              + " ("
              + String.join(", ", changedSections)
              + " changed), rolling out";
      case configured ->
          name + ": " + String.join(", ", changedSections) + " changed, applied in place";
      case unchanged -> name + ": unchanged";
    };
  }
}
