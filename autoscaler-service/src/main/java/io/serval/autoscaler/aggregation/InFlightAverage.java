package io.serval.autoscaler.aggregation;

/**
 * The time-averaged total in-flight requests of one API over a window: the per-second sums across
 * routers, averaged over the seconds in which any live router reported.
 *
 * @param value average of the per-second totals
 * @param seconds how many reported seconds the average covers
 * @param routers how many live routers contributed
 */
public record InFlightAverage(double value, int seconds, int routers) {}
