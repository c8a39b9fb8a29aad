package io.serval.bench.report;

import io.serval.bench.load.LoadResult;

/**
 * One line of the results table.
 *
 * @param path inproc, grpc, rest or rest-bin
 * @param batching "on", "off", or "-" for in-process
 */
public record ResultRow(
    String model, String path, String batching, int concurrency, LoadResult result) {}
