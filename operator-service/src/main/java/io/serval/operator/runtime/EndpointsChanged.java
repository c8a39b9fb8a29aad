package io.serval.operator.runtime;

/** A replica became ready or stopped being ready: routes need republishing. */
public record EndpointsChanged(String api) {}
