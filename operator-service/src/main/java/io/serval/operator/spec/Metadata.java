package io.serval.operator.spec;

/** Resource metadata; the name is a DNS-1123 label. */
public record Metadata(String name) {}
