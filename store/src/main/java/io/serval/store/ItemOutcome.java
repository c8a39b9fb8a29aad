package io.serval.store;

import java.util.Objects;

/**
 * How one item of a batch job ended.
 *
 * @param index the item's index (its 0-based line in the input)
 * @param succeeded whether it succeeded
 * @param response the V2 response (JSON) when it succeeded, else empty
 * @param error the reason when it failed, else empty
 * @param attempts how many times it was sent to the API (0 for a line that was not a request)
 */
public record ItemOutcome(
    long index, boolean succeeded, byte[] response, String error, int attempts) {
  public ItemOutcome {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(error, "error");
  }

  public static ItemOutcome success(long index, byte[] response, int attempts) {
    return new ItemOutcome(index, true, response, "", attempts);
  }

  public static ItemOutcome failure(long index, String error, int attempts) {
    return new ItemOutcome(index, false, new byte[0], error, attempts);
  }
}
