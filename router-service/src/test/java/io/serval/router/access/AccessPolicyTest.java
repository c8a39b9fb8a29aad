package io.serval.router.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.router.access.AccessPolicy.Decision;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

  static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void withNothingConfiguredEveryoneMayCall() throws Exception {
    assertThat(AccessPolicy.OPEN.open()).isTrue();
    assertThat(AccessPolicy.OPEN.check(null, ip("8.8.8.8"))).isEqualTo(Decision.ALLOW);
  }

  @Test
  void matchesNetworksByPrefix() throws Exception {
    AccessPolicy p = AccessPolicy.of(List.of(), List.of("10.1.0.0/16", "192.168.7.9", "fd00::/8"));
    assertThat(p.check(null, ip("10.1.200.3"))).isEqualTo(Decision.ALLOW);
    assertThat(p.check(null, ip("10.2.0.1"))).isEqualTo(Decision.FORBIDDEN);
    assertThat(p.check(null, ip("192.168.7.9"))).isEqualTo(Decision.ALLOW);
    assertThat(p.check(null, ip("192.168.7.10"))).isEqualTo(Decision.FORBIDDEN);
    assertThat(p.check(null, ip("fd12::1"))).isEqualTo(Decision.ALLOW);
    assertThat(p.check(null, ip("fe80::1"))).isEqualTo(Decision.FORBIDDEN);
    assertThat(p.check(null, null)).isEqualTo(Decision.FORBIDDEN);
    assertThat(AccessPolicy.of(List.of(), List.of("10.0.0.0/12")).check(null, ip("10.15.255.255")))
        .isEqualTo(Decision.ALLOW);
    assertThat(AccessPolicy.of(List.of(), List.of("10.0.0.0/12")).check(null, ip("10.16.0.0")))
        .isEqualTo(Decision.FORBIDDEN);
  }

  @Test
  void requiresOneOfTheKeys() throws Exception {
    AccessPolicy p = AccessPolicy.of(List.of("k1", "k2"), List.of());
    assertThat(p.check("k2", ip("1.2.3.4"))).isEqualTo(Decision.ALLOW);
    assertThat(p.check("k3", ip("1.2.3.4"))).isEqualTo(Decision.UNAUTHENTICATED);
    assertThat(p.check(null, ip("1.2.3.4"))).isEqualTo(Decision.UNAUTHENTICATED);
    assertThat(AccessPolicy.keyFrom("Bearer k1", null)).isEqualTo("k1");
    assertThat(AccessPolicy.keyFrom(null, " k2 ")).isEqualTo("k2");
    assertThat(AccessPolicy.keyFrom("Basic xyz", null)).isNull();
  }

  @Test
  void refusesMalformedNetworks() {
    assertThatThrownBy(() -> AccessPolicy.of(List.of(), List.of("10.0.0.0/33")))
        .hasMessageContaining("'10.0.0.0/33'");
    assertThatThrownBy(() -> AccessPolicy.of(List.of(), List.of("example.com/8")))
        .hasMessageContaining("not an IP network");
    assertThatThrownBy(() -> AccessPolicy.of(List.of(" "), List.of()))
        .hasMessageContaining("empty key");
  }
}
