package io.serval.store;

import java.time.Instant;

/**
 * One event of a job's log.
 *
 * @param at when it happened
 * @param message what happened
 */
public record JobLogLine(Instant at, String message) {}
