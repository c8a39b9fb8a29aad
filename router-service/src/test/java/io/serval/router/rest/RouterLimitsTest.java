package io.serval.router.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.serval.router.testing.RawHttp;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What one client can make the router hold: body bytes, time, and its event loop. */
@QuarkusTest
@TestProfile(RouterLimitsTest.SmallLimits.class)
class RouterLimitsTest {

  /** 1 MiB bodies (the test limit), a 2 MiB budget, short timeouts, a 4 KiB offload threshold. */
  public static class SmallLimits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "serval.router.limits.in-flight-body-bytes", "2M",
          "serval.router.limits.body-read-timeout", "2s",
          "serval.router.limits.offload-codec-above", "4K",
          // longer than the body read timeout, as in production (30s and 2m)
          "quarkus.http.idle-timeout", "4s");
    }
  }

  @Inject BodyBudget budget;
  @Inject InferRoute route;

  private static final String SMALL =
      "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [1]}]}";

  /** A valid request of about {@code values * 2} bytes. */
  private static String json(int values) {
    StringBuilder b = new StringBuilder(values * 2 + 100);
    b.append("{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, ")
        .append(values)
        .append("], \"data\": [");
    for (int i = 0; i < values; i++) {
      b.append(i == 0 ? "0" : ",0");
    }
    return b.append("]}]}").toString();
  }

  /** Opens a request that declares {@code declared} bytes and sends {@code sent} of them. */
  private static Socket partialBody(int declared, int sent) throws IOException {
    Socket s = new Socket("127.0.0.1", RestAssured.port);
    s.setSoTimeout(20_000);
    OutputStream out = s.getOutputStream();
    out.write(
        ("POST /v2/models/echo/infer HTTP/1.1\r\nHost: localhost\r\nContent-Type:"
                + " application/json\r\nContent-Length: "
                + declared
                + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.write(" ".repeat(sent).getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return s;
  }

  private static String readAll(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    byte[] all = in.readAllBytes();
    return new String(all, StandardCharsets.ISO_8859_1);
  }

  @Test
  void aBodyPastTheBudgetIsRefusedAtOnceAndTheBudgetComesBack() throws Exception {
    String big = json(200_000); // about 400 KB
    try (Socket a = partialBody(1_000_000, 900_000)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> budget.used() >= 900_000);
      try (Socket b = partialBody(1_000_000, 900_000)) {
        await().atMost(Duration.ofSeconds(5)).until(() -> budget.used() >= 1_800_000);

        long start = System.nanoTime();
        RawHttp.Reply refused =
            RawHttp.send(RestAssured.port, "POST", "/v2/models/echo/infer", Map.of(), big);
        assertThat(refused.status()).as(refused.text()).isEqualTo(503);
        assertThat(refused.text()).contains("Retry-After: 1", "in-flight-body-bytes");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

        a.close(); // a client that hangs up gives its bytes back
        await().atMost(Duration.ofSeconds(5)).until(() -> budget.used() < 1_000_000);
        RawHttp.Reply served =
            RawHttp.send(RestAssured.port, "POST", "/v2/models/echo/infer", Map.of(), big);
        assertThat(served.status()).as(served.text()).isEqualTo(200);
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> budget.used() == 0);
  }

  @Test
  void aStalledBodyEndsWith408AndGivesItsBytesBack() throws Exception {
    try (Socket s = partialBody(100_000, 50_000)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> budget.used() >= 50_000);
      long start = System.nanoTime();
      String answer = readAll(s); // until the router closes the connection
      assertThat(answer).startsWith("HTTP/1.1 408").contains("body-read-timeout");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThan(Duration.ofSeconds(1))
          .isLessThan(Duration.ofSeconds(15));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> budget.used() == 0);
  }

  @Test
  void anIdleConnectionIsClosed() throws Exception {
    try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
      s.setSoTimeout(20_000);
      long start = System.nanoTime();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void largeBodiesAreDecodedOffTheEventLoopAndSmallOnesAreNot() throws Exception {
    long before = route.offloaded();
    RawHttp.Reply small =
        RawHttp.send(RestAssured.port, "POST", "/v2/models/echo/infer", Map.of(), SMALL);
    assertThat(small.status()).as(small.text()).isEqualTo(200);
    assertThat(route.offloaded()).isEqualTo(before);

    RawHttp.Reply large =
        RawHttp.send(RestAssured.port, "POST", "/v2/models/echo/infer", Map.of(), json(5_000));
    assertThat(large.status()).as(large.text()).isEqualTo(200);
    assertThat(route.offloaded()).isGreaterThan(before);

    RawHttp.Reply invalid =
        RawHttp.send(
            RestAssured.port,
            "POST",
            "/v2/models/echo/infer",
            Map.of(),
            json(5_000).replace("\"FP32\"", "\"NOPE\""));
    assertThat(invalid.status()).as(invalid.text()).isEqualTo(400);
    await().atMost(Duration.ofSeconds(5)).until(() -> budget.used() == 0);
  }
}
