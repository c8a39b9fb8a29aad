package io.serval.bench.router;

import io.serval.bench.load.LoadResult;

/**
 * One measured point of the router benchmark.
 *
 * @param round the interleaving round (points of one round were measured next to each other)
 * @param protocol http or grpc
 * @param via direct, router or nginx
 * @param load c1, half (about half of the direct path's saturation) or sat (saturation, c=64)
 * @param concurrency outstanding requests of the closed loop
 */
public record PathPoint(
    int round, String protocol, String via, String load, int concurrency, LoadResult result) {
  public static final String DIRECT = "direct";
  public static final String ROUTER = "router";
  public static final String NGINX = "nginx";
}
