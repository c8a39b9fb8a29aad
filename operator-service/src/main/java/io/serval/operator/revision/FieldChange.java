package io.serval.operator.revision;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One field a deploy changes: its path from the resource root (spec.predictor.threadsPerWorker) and
 * its value before and after; a missing side is null (a field added or removed).
 */
public record FieldChange(String path, JsonNode from, JsonNode to) {}
