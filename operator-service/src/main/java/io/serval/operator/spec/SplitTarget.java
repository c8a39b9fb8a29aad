package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One API behind a splitter: its weight in percent, or its mirrored share when shadow. */
@JsonPropertyOrder({"name", "weight", "shadow"})
public record SplitTarget(String name, int weight, boolean shadow) {}
