package io.serval.operator.kubernetes.crd;

import io.serval.operator.status.Condition;
import java.util.List;

/** Status of a TrafficSplitter custom resource. */
public record SplitterStatus(
    long observedGeneration, List<Condition> conditions, String endpoint) {}
