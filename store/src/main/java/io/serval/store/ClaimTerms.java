package io.serval.store;

import java.time.Duration;

/**
 * How a dispatcher claims work.
 *
 * @param lease how long a claim holds before another dispatcher may take the request
 * @param max the most requests one claim takes
 * @param maxAttempts the most claims a request gets; one more and it fails
 * @param resultTtl how long the failure of a request given up on is kept
 */
public record ClaimTerms(Duration lease, int max, int maxAttempts, Duration resultTtl) {
  public ClaimTerms {
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("lease must be positive: " + lease);
    }
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    if (resultTtl.isNegative()) {
      throw new IllegalArgumentException("resultTtl must not be negative: " + resultTtl);
    }
  }
}
