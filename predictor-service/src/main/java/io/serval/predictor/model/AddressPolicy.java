package io.serval.predictor.model;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which hosts a model may be downloaded from. A model URI comes from whoever may deploy a spec, so
 * without this the predictor would fetch whatever they point it at: the cloud's metadata service
 * (credentials), or a port on the replica's own loopback. Loopback, link-local, unspecified,
 * multicast and cloud-metadata addresses are refused unless configuration allows them, and the
 * check runs on every address the name resolves to, not on the name alone (a public name can
 * resolve to 127.0.0.1).
 */
public final class AddressPolicy {

  /** Names of metadata services, refused before any lookup. */
  static final Set<String> METADATA_HOSTS =
      Set.of(
          "metadata.google.internal",
          "metadata.goog",
          "metadata",
          "instance-data",
          "instance-data.ec2.internal");

  /** Metadata addresses outside the link-local block: AWS over IPv6, Alibaba Cloud. */
  private static final List<Cidr> METADATA_ADDRESSES =
      List.of(Cidr.parse("fd00:ec2::254"), Cidr.parse("100.100.100.200"));

  /** Resolves a name to its addresses; DNS in production, a table in tests. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final boolean allowPrivate;
  private final Set<String> allowedHosts;
  private final List<Cidr> allowedBlocks;
  private final Resolver resolver;

  private AddressPolicy(
      boolean allowPrivate, Set<String> allowedHosts, List<Cidr> allowedBlocks, Resolver resolver) {
    this.allowPrivate = allowPrivate;
    this.allowedHosts = allowedHosts;
    this.allowedBlocks = allowedBlocks;
    this.resolver = resolver;
  }

  /**
   * @param allowPrivate allow every address (for a trusted network or development)
   * @param allowlist host names (matched case-insensitively) and IP addresses or CIDR blocks that
   *     are allowed even when they would be refused
   * @throws IllegalArgumentException when an entry that looks like an address does not parse
   */
  public static AddressPolicy of(boolean allowPrivate, List<String> allowlist) {
    return of(allowPrivate, allowlist, InetAddress::getAllByName);
  }

  public static AddressPolicy of(boolean allowPrivate, List<String> allowlist, Resolver resolver) {
    Set<String> hosts = new java.util.HashSet<>();
    List<Cidr> blocks = new ArrayList<>();
    for (String entry : allowlist) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      if (Cidr.looksNumeric(e.contains("/") ? e.substring(0, e.indexOf('/')) : e)) {
        blocks.add(Cidr.parse(e));
      } else {
        hosts.add(e.toLowerCase(Locale.ROOT));
      }
    }
    return new AddressPolicy(allowPrivate, Set.copyOf(hosts), List.copyOf(blocks), resolver);
  }

  /**
   * Resolves the host and checks every address.
   *
   * @throws ModelLoadException naming the host, the address and why it is refused
   */
  public void check(String host) {
    if (host == null || host.isEmpty()) {
      throw new ModelLoadException("model uri has no host");
    }
    String name = stripBrackets(host).toLowerCase(Locale.ROOT);
    if (allowPrivate || allowedHosts.contains(name)) {
      return;
    }
    if (METADATA_HOSTS.contains(name) || METADATA_HOSTS.contains(stripDot(name))) {
      throw refused(host, name, "a cloud metadata service");
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(name);
    } catch (UnknownHostException e) {
      throw new ModelLoadException(
          "cannot resolve model host '" + host + "': " + e.getMessage(), e);
    }
    for (InetAddress a : addresses) {
      Optional<String> why = forbidden(a);
      if (why.isPresent() && allowedBlocks.stream().noneMatch(b -> b.contains(a))) {
        throw refused(host, a.getHostAddress(), why.get());
      }
    }
  }

  /** Why an address is refused by default, or empty when it is an ordinary one. */
  static Optional<String> forbidden(InetAddress a) {
    if (a.getHostAddress().equals("169.254.169.254")
        || METADATA_ADDRESSES.stream().anyMatch(b -> b.contains(a))) {
      return Optional.of("a cloud metadata service");
    }
    if (a.isLoopbackAddress()) {
      return Optional.of("a loopback address");
    }
    if (a.isLinkLocalAddress()) {
      return Optional.of("a link-local address");
    }
    if (a.isAnyLocalAddress()) {
      return Optional.of("the unspecified address");
    }
    if (a.isMulticastAddress()) {
      return Optional.of("a multicast address");
    }
    return Optional.empty();
  }

  private static ModelLoadException refused(String host, String address, String why) {
    return new ModelLoadException(
        "refusing to download a model from '"
            + host
            + "': "
            + address
            + " is "
            + why
            + "; allow it with serval.predictor.model-fetch.allowed-hosts (a host name or CIDR)"
            + " or serval.predictor.model-fetch.allow-private-addresses=true");
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static String stripDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }
}
