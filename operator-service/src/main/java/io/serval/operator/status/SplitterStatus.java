package io.serval.operator.status;

import java.util.List;

/** Status of a TrafficSplitter, the same on every runtime (the custom resource's and /v1's). */
public record SplitterStatus(
    long observedGeneration, List<Condition> conditions, String endpoint) {}
