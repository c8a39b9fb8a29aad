package io.serval.operator.runtime.local.lifecycle;

/** The two ports a replica listens on: HTTP (health, REST) and gRPC (what routers dial). */
public record Ports(int http, int grpc) {}
