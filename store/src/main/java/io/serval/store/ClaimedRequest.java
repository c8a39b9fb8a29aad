package io.serval.store;

import java.time.Instant;

/**
 * A request taken by a dispatcher under a lease.
 *
 * @param id the request id
 * @param api its API
 * @param attempt which claim this is (1 for the first); it fences the result: only the holder of
 *     the latest attempt can complete the request
 * @param contentType the request body's content type
 * @param accept how the result is to be returned ("" for the default)
 * @param body the request body
 * @param createdAt when it was accepted (so that its holder can describe it whole once finished)
 */
public record ClaimedRequest(
    String id,
    String api,
    int attempt,
    String contentType,
    String accept,
    byte[] body,
    Instant createdAt) {}
