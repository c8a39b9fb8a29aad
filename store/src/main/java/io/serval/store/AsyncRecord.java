package io.serval.store;

import java.time.Instant;
import java.util.Optional;

/**
 * What the store knows of one async request, as its status endpoint reports it.
 *
 * @param id the request id
 * @param api its API
 * @param state where it is
 * @param attempts how many times it has been claimed
 * @param createdAt when it was accepted
 * @param finishedAt when it reached a terminal state
 * @param responseType the response's content type, when succeeded
 * @param response the V2 response body, when succeeded
 * @param reason why it failed, when failed
 */
public record AsyncRecord(
    String id,
    String api,
    AsyncState state,
    int attempts,
    Instant createdAt,
    Optional<Instant> finishedAt,
    Optional<String> responseType,
    Optional<byte[]> response,
    Optional<String> reason) {}
