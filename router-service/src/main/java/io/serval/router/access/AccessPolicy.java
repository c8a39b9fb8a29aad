package io.serval.router.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may call the data plane: an optional list of API keys and an optional allowlist of client
 * networks (CIDR). With neither configured everyone may.
 */
public final class AccessPolicy {

  /** The outcome of a check. */
  public enum Decision {
    ALLOW,
    /** No key or a wrong key (HTTP 401, gRPC UNAUTHENTICATED). */
    UNAUTHENTICATED,
    /** The client's address is outside every allowed network (HTTP 403, PERMISSION_DENIED). */
    FORBIDDEN
  }

  private record Network(byte[] prefixBytes, int prefixLength) {
    boolean contains(byte[] address) {
      if (address.length != prefixBytes.length) {
        return false;
      }
      int full = prefixLength / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != prefixBytes[i]) {
          return false;
        }
      }
      int rest = prefixLength % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (address[full] & mask) == (prefixBytes[full] & mask);
    }
  }

  public static final AccessPolicy OPEN = new AccessPolicy(List.of(), List.of());

  private final List<byte[]> keys;
  private final List<Network> networks;

  private AccessPolicy(List<byte[]> keys, List<Network> networks) {
    this.keys = keys;
    this.networks = networks;
  }

  /**
   * @throws IllegalArgumentException naming a malformed CIDR or an empty key
   */
  public static AccessPolicy of(List<String> apiKeys, List<String> allowedCidrs) {
    List<byte[]> keys = new ArrayList<>();
    for (String k : apiKeys) {
      if (k.isBlank()) {
        throw new IllegalArgumentException("serval.router.access.api-keys contains an empty key");
      }
      keys.add(k.getBytes(StandardCharsets.UTF_8));
    }
    List<Network> networks = new ArrayList<>();
    for (String cidr : allowedCidrs) {
      networks.add(parse(cidr.trim()));
    }
    return new AccessPolicy(List.copyOf(keys), List.copyOf(networks));
  }

  private static Network parse(String cidr) {
    int slash = cidr.indexOf('/');
    String host = slash < 0 ? cidr : cidr.substring(0, slash);
    if (host.isEmpty() || !host.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException(
          "serval.router.access.allowed-cidrs: '"
              + cidr
              + "' is not an IP network like 10.0.0.0/8");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(host).getAddress(); // a literal: no lookup happens
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "serval.router.access.allowed-cidrs: '" + cidr + "' is not an IP network", e);
    }
    int max = bytes.length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? max : Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (prefix < 0 || prefix > max) {
      throw new IllegalArgumentException(
          "serval.router.access.allowed-cidrs: '"
              + cidr
              + "' has a prefix length outside 0.."
              + max);
    }
    return new Network(bytes, prefix);
  }

  public boolean open() {
    return keys.isEmpty() && networks.isEmpty();
  }

  /**
   * @param presentedKey the key the client sent, or null
   * @param client the client's address, or null when unknown (then a network allowlist refuses)
   */
  public Decision check(String presentedKey, InetAddress client) {
    if (!networks.isEmpty()) {
      byte[] address = client == null ? null : client.getAddress();
      boolean inside = false;
      if (address != null) {
        for (Network n : networks) {
          if (n.contains(address)) {
            inside = true;
            break;
          }
        }
      }
      if (!inside) {
        return Decision.FORBIDDEN;
      }
    }
    if (!keys.isEmpty()) {
      if (presentedKey == null) {
        return Decision.UNAUTHENTICATED;
      }
      byte[] presented = presentedKey.getBytes(StandardCharsets.UTF_8);
      boolean match = false;
      for (byte[] k : keys) {
        // Constant time per key, so timing does not reveal how much of a key matched.
        match |= MessageDigest.isEqual(k, presented);
      }
      if (!match) {
        return Decision.UNAUTHENTICATED;
      }
    }
    return Decision.ALLOW;
  }

  /** The key from {@code Authorization: Bearer <key>} or {@code X-Api-Key: <key>}. */
  public static String keyFrom(String authorization, String xApiKey) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return xApiKey == null ? null : xApiKey.trim();
  }
}
