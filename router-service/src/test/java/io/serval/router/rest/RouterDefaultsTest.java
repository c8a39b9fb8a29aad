package io.serval.router.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The shipped settings that bound what a slow or large client can hold. */
class RouterDefaultsTest {

  private static Properties shipped() throws Exception {
    Properties p = new Properties();
    try (InputStream in = RouterDefaultsTest.class.getResourceAsStream("/application.properties")) {
      p.load(in);
    }
    return p;
  }

  @Test
  void idleConnectionsAreClosedWithinMinutesNotHalfAnHour() throws Exception {
    String idle = shipped().getProperty("quarkus.http.idle-timeout");
    assertThat(idle).as("quarkus.http.idle-timeout in application.properties").isNotNull();
    assertThat(io.quarkus.runtime.configuration.DurationConverter.parseDuration(idle))
        .isLessThanOrEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void grpcMessagesAreBoundedByTheRoutersOwnLimit() throws Exception {
    Properties p = shipped();
    assertThat(p.getProperty("quarkus.grpc.server.max-inbound-message-size"))
        .isEqualTo(Long.toString(64L << 20));
  }
}
