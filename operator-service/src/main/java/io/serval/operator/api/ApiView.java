package io.serval.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.serval.operator.spec.RealtimeApiSpec;
import io.serval.operator.status.ApiStatus;

/** A RealtimeApi as GET /v1/apis shows it: the stored spec with its status. */
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record ApiView(
    String apiVersion,
    String kind,
    ResourceMetadata metadata,
    RealtimeApiSpec spec,
    ApiStatus status) {}
