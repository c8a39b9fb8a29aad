package io.serval.router.routing;

import java.util.List;

/**
 * One revision of an API: its traffic share and its ready replicas (gRPC host:port).
 *
 * @param servedBy the {@code serval-revision} value, {@code api/revision}
 */
public record RevisionEntry(String name, double share, List<String> endpoints, String servedBy) {}
