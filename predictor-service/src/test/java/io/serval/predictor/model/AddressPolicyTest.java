package io.serval.predictor.model;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which download hosts are refused, judged on the addresses a name resolves to. */
class AddressPolicyTest {

  /** Names resolve from this table; IP literals parse without DNS. */
  private static InetAddress[] resolve(String host) throws UnknownHostException {
    Map<String, String> dns =
        Map.of(
            "models.example", "93.184.216.34",
            "rebound.example", "127.0.0.1",
            "sneaky.example", "169.254.169.254",
            "store.internal", "10.1.2.3");
    String ip = dns.getOrDefault(host, host);
    if (!Cidr.looksNumeric(ip)) {
      throw new UnknownHostException(host);
    }
    return new InetAddress[] {InetAddress.getByName(ip)};
  }

  private static AddressPolicy policy(List<String> allowlist) {
    return AddressPolicy.of(false, allowlist, AddressPolicyTest::resolve);
  }

  @Test
  void ordinaryAndPrivateNetworkAddressesAreAllowed() {
    assertThatCode(() -> policy(List.of()).check("models.example")).doesNotThrowAnyException();
    // in-cluster model stores live on private networks
    assertThatCode(() -> policy(List.of()).check("store.internal")).doesNotThrowAnyException();
  }

  @Test
  void loopbackLinkLocalAndMetadataAreRefused() {
    AddressPolicy p = policy(List.of());
    assertThatThrownBy(() -> p.check("127.0.0.1")).hasMessageContaining("a loopback address");
    assertThatThrownBy(() -> p.check("[::1]")).hasMessageContaining("a loopback address");
    assertThatThrownBy(() -> p.check("169.254.10.1")).hasMessageContaining("a link-local address");
    assertThatThrownBy(() -> p.check("[fe80::1]")).hasMessageContaining("a link-local address");
    assertThatThrownBy(() -> p.check("169.254.169.254"))
        .hasMessageContaining("a cloud metadata service");
    assertThatThrownBy(() -> p.check("[fd00:ec2::254]"))
        .hasMessageContaining("a cloud metadata service");
    assertThatThrownBy(() -> p.check("metadata.google.internal"))
        .hasMessageContaining("a cloud metadata service");
    assertThatThrownBy(() -> p.check("0.0.0.0")).hasMessageContaining("the unspecified address");
  }

  @Test
  void theResolvedAddressDecidesNotTheName() {
    assertThatThrownBy(() -> policy(List.of()).check("rebound.example"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'rebound.example': 127.0.0.1 is a loopback address");
    assertThatThrownBy(() -> policy(List.of()).check("sneaky.example"))
        .hasMessageContaining("169.254.169.254 is a cloud metadata service");
  }

  @Test
  void anAllowlistOpensHostsAndBlocks() {
    assertThatCode(() -> policy(List.of("rebound.example")).check("rebound.example"))
        .doesNotThrowAnyException();
    assertThatCode(() -> policy(List.of("127.0.0.0/8")).check("rebound.example"))
        .doesNotThrowAnyException();
    assertThatCode(() -> policy(List.of("::1")).check("[::1]")).doesNotThrowAnyException();
    // a block opens only what it holds
    assertThatThrownBy(() -> policy(List.of("127.0.0.0/8")).check("sneaky.example"))
        .hasMessageContaining("cloud metadata");
    assertThatCode(
            () ->
                AddressPolicy.of(true, List.of(), AddressPolicyTest::resolve)
                    .check("sneaky.example"))
        .doesNotThrowAnyException();
  }

  @Test
  void badAllowlistEntriesFailFast() {
    assertThatThrownBy(() -> AddressPolicy.of(false, List.of("10.0.0.0/33")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix length outside 0..32");
    assertThatThrownBy(() -> AddressPolicy.of(false, List.of("10.0.0.0/x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unresolvableHostsAreReported() {
    assertThatThrownBy(() -> policy(List.of()).check("nowhere.example"))
        .hasMessageContaining("cannot resolve model host 'nowhere.example'");
  }
}
