package io.serval.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.serval.operator.spec.SplitterSpec;
import io.serval.operator.status.SplitterStatus;

/** A TrafficSplitter as GET /v1/splitters shows it. */
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record SplitterView(
    String apiVersion,
    String kind,
    ResourceMetadata metadata,
    SplitterSpec spec,
    SplitterStatus status) {}
