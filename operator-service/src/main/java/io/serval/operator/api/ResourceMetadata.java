package io.serval.operator.api;

import java.time.Instant;

/** Metadata as the management API shows it (Kubernetes-like). */
public record ResourceMetadata(
    String name, long generation, Instant creationTimestamp, Instant updateTimestamp) {}
