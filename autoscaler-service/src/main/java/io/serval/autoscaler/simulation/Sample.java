package io.serval.autoscaler.simulation;

/**
 * The state of a simulation at the end of one second.
 *
 * @param load offered load (requests in flight with unlimited capacity)
 * @param inFlight queued + executing, averaged over the second (what a router reports)
 * @param desired replicas the policy asked for
 * @param capacity ready replicas x capacity per replica
 * @param rejected requests rejected on a full queue so far
 */
public record Sample(
    int second,
    double load,
    double inFlight,
    double queued,
    int ready,
    int desired,
    double capacity,
    boolean panic,
    double rejected) {}
