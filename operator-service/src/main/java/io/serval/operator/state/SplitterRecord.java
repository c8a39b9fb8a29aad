package io.serval.operator.state;

import io.serval.operator.spec.TrafficSplitter;
import java.time.Instant;

/** A splitter's spec and generation, with the spec before the last change for rollback. */
public record SplitterRecord(
    TrafficSplitter splitter,
    long generation,
    TrafficSplitter previous,
    Instant createdAt,
    Instant updatedAt) {

  public String name() {
    return splitter.name();
  }
}
