package io.serval.operator.control;

/** Result of a scaling call: what was asked, what was applied after clamping. */
public record ReplicaCounts(int requested, int applied, boolean changed) {}
