package io.serval.predictor.model;

import java.time.Duration;

/**
 * What a model fetch may do.
 *
 * @param maxBytes largest model accepted, checked on the declared length and while streaming
 * @param timeout bound on a whole download, connect to last byte, redirects included
 * @param maxRedirects redirects followed (each to the same host only)
 * @param addresses hosts a download may reach
 * @param roots directories {@code file:} URIs may point into
 */
public record FetchPolicy(
    long maxBytes, Duration timeout, int maxRedirects, AddressPolicy addresses, FileRoots roots) {}
