package io.serval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.cli.platform.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalPlatformsTest {

  @Test
  void readsTheEphemeralRangeOfThisMachine() throws Exception {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    int expected =
        Files.isReadable(range)
            ? Integer.parseInt(Files.readAllLines(range).getFirst().trim().split("\\s+")[0])
            : 32768;
    assertThat(LocalPlatforms.ephemeralLow()).isEqualTo(expected);
  }

  @Test
  void platformPortsStayBelowTheEphemeralRange() {
    int low = LocalPlatforms.ephemeralLow();
    for (int i = 0; i < 20; i++) {
      int offset = LocalPlatforms.freeOffset(8000, 8001);
      assertThat(Ports.withOffset(offset).described().keySet()).allMatch(p -> p < low);
      assertThat(8001 + offset).isLessThan(low);
    }
  }
}
