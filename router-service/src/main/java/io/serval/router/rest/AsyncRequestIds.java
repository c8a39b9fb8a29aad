package io.serval.router.rest;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Async request ids: 128 random bits from a {@link SecureRandom}, in hex. Anyone who has the id can
 * read the result (within the API's access policy), so it must not be guessable from others.
 */
final class AsyncRequestIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AsyncRequestIds() {}

  static String next() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return HexFormat.of().formatHex(bits);
  }

  /** Whether {@code id} has the form of one of ours (checked before the store is asked). */
  static boolean wellFormed(String id) {
    if (id == null || id.length() != 32) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
