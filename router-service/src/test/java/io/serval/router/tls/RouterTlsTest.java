package io.serval.router.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.ServerLiveRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The router's REST and gRPC ports over TLS (its "tls" profile, as the chart turns it on), with a
 * self-signed certificate made here by the JDK's keytool. Clients that trust the certificate get
 * answers; plain-text clients and clients that do not trust it get none.
 */
@QuarkusTest
@TestProfile(RouterTlsTest.TlsProfile.class)
class RouterTlsTest {

  static final String PASSWORD = "changeit";
  static final Path KEYSTORE;
  static final Path ROUTES;
  static final Path CERT_PEM;
  static final Path KEY_PEM;
  static final int HTTPS_PORT = freePort();
  static final int GRPC_PORT = freePort();

  static {
    try {
      Path dir = Files.createTempDirectory("serval-tls");
      KEYSTORE = dir.resolve("router.p12");
      Path routes = dir.resolve("routes.yaml");
      Files.writeString(routes, "version: 1\napis: []\n");
      Process keytool =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                      "-genkeypair",
                      "-alias",
                      "router",
                      "-keyalg",
                      "EC",
                      "-groupname",
                      "secp256r1",
                      "-dname",
                      "CN=localhost",
                      "-ext",
                      "SAN=dns:localhost,ip:127.0.0.1",
                      "-validity",
                      "2",
                      "-storetype",
                      "PKCS12",
                      "-keystore",
                      KEYSTORE.toString(),
                      "-storepass",
                      PASSWORD,
                      "-keypass",
                      PASSWORD))
              .redirectErrorStream(true)
              .start();
      String out = new String(keytool.getInputStream().readAllBytes());
      if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + out);
      }
      ROUTES = routes;
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(KEYSTORE)) {
        ks.load(in, PASSWORD.toCharArray());
      }
      Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
      CERT_PEM = dir.resolve("tls.crt");
      Files.writeString(
          CERT_PEM,
          "-----BEGIN CERTIFICATE-----\n"
              + b64.encodeToString(ks.getCertificate("router").getEncoded())
              + "\n-----END CERTIFICATE-----\n");
      KEY_PEM = dir.resolve("tls.key");
      Files.writeString(
          KEY_PEM,
          "-----BEGIN PRIVATE KEY-----\n"
              + b64.encodeToString(ks.getKey("router", PASSWORD.toCharArray()).getEncoded())
              + "\n-----END PRIVATE KEY-----\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The router's own "tls" profile (application.properties), on top of "test", given the PEM files
   * a kubernetes.io/tls Secret would hold.
   */
  public static class TlsProfile implements QuarkusTestProfile {
    @Override
    public String getConfigProfile() {
      return "test,tls";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "serval.router.routes-file", ROUTES.toString(),
          "serval.router.tls.certificate", CERT_PEM.toString(),
          "serval.router.tls.key", KEY_PEM.toString(),
          "quarkus.http.test-ssl-port", Integer.toString(HTTPS_PORT),
          "quarkus.grpc.server.test-port", Integer.toString(GRPC_PORT));
    }
  }

  private static TrustManagerFactory trustTheCertificate() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(KEYSTORE)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    return tmf;
  }

  @Test
  void restAnswersOverTls() throws Exception {
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, trustTheCertificate().getTrustManagers(), null);
    try (HttpClient client =
        HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("https://localhost:" + HTTPS_PORT + "/v2/health/live"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
    }
    // a client that does not trust the certificate cannot talk to it
    try (HttpClient untrusting = HttpClient.newHttpClient()) {
      assertThatThrownBy(
              () ->
                  untrusting.send(
                      HttpRequest.newBuilder(
                              URI.create("https://localhost:" + HTTPS_PORT + "/v2/health/live"))
                          .timeout(Duration.ofSeconds(10))
                          .build(),
                      HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void grpcAnswersOverTlsAndRefusesPlainText() throws Exception {
    ManagedChannel tls =
        NettyChannelBuilder.forAddress("localhost", GRPC_PORT)
            .sslContext(GrpcSslContexts.forClient().trustManager(trustTheCertificate()).build())
            .build();
    ManagedChannel plain =
        NettyChannelBuilder.forAddress("localhost", GRPC_PORT).usePlaintext().build();
    try {
      assertThat(
              GRPCInferenceServiceGrpc.newBlockingStub(tls)
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .serverLive(ServerLiveRequest.getDefaultInstance())
                  .getLive())
          .isTrue();
      assertThatThrownBy(
              () ->
                  GRPCInferenceServiceGrpc.newBlockingStub(plain)
                      .withDeadlineAfter(5, TimeUnit.SECONDS)
                      .serverLive(ServerLiveRequest.getDefaultInstance()))
          .isInstanceOf(StatusRuntimeException.class);
    } finally {
      tls.shutdownNow();
      plain.shutdownNow();
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
