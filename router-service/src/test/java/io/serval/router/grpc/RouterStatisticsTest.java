package io.serval.router.grpc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.ModelStatistics;
import io.serval.proto.inference.ModelStatisticsRequest;
import io.serval.router.fakes.FakePredictorsResource;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The router's own statistics through its real edges: gRPC ModelStatistics (totals since start) and
 * GET /v1/stats (the last five minutes), after requests that succeed and requests that fail. Other
 * tests share the router, so numbers are compared before and after.
 */
@QuarkusTest
@QuarkusTestResource(FakePredictorsResource.class)
class RouterStatisticsTest {
  static io.grpc.ManagedChannel channel;
  static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

  @BeforeAll
  static void connect() {
    channel =
        io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", FakePredictorsResource.grpcPort)
            .usePlaintext()
            .build();
    stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void disconnect() {
    channel.shutdownNow();
  }

  private static ModelStatistics stats(String api) {
    var r =
        stub.withDeadlineAfter(5, TimeUnit.SECONDS)
            .modelStatistics(ModelStatisticsRequest.newBuilder().setName(api).build());
    assertThat(r.getModelStatsList()).hasSize(1);
    return r.getModelStats(0);
  }

  private static Map<String, Object> window(String api) {
    JsonPath body = given().get("/v1/stats").then().statusCode(200).extract().jsonPath();
    assertThat(body.getString("window")).isEqualTo("5m");
    Map<String, Object> entry = body.getMap("apis.find { it.api == '" + api + "' }");
    return entry == null ? Map.of("requests", 0, "status2xx", 0, "status5xx", 0) : entry;
  }

  private static long number(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).longValue();
  }

  @Test
  void countsWhatTheRouterAnsweredPerApi() {
    ModelStatistics okBefore = stats("echo-b");
    ModelStatistics failBefore = stats("failing");
    Map<String, Object> okWindowBefore = window("echo-b");
    Map<String, Object> failWindowBefore = window("failing");
    int ok = 5;
    int failed = 3;
    for (int i = 0; i < ok; i++) {
      stub.withDeadlineAfter(10, TimeUnit.SECONDS).modelInfer(RouterGrpcTest.request("echo-b"));
    }
    for (int i = 0; i < failed; i++) {
      assertThatThrownBy(
              () ->
                  stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                      .modelInfer(RouterGrpcTest.request("failing")))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL));
    }

    ModelStatistics okAfter = stats("echo-b");
    assertThat(okAfter.getInferenceStats().getSuccess().getCount())
        .isEqualTo(okBefore.getInferenceStats().getSuccess().getCount() + ok);
    assertThat(okAfter.getInferenceStats().getSuccess().getNs())
        .isGreaterThan(okBefore.getInferenceStats().getSuccess().getNs());
    assertThat(okAfter.getInferenceStats().getFail().getCount())
        .isEqualTo(okBefore.getInferenceStats().getFail().getCount());
    assertThat(okAfter.getLastInference()).isPositive();
    ModelStatistics failAfter = stats("failing");
    assertThat(failAfter.getInferenceStats().getFail().getCount())
        .isEqualTo(failBefore.getInferenceStats().getFail().getCount() + failed);
    assertThat(failAfter.getInferenceStats().getFail().getNs())
        .isGreaterThan(failBefore.getInferenceStats().getFail().getNs());

    Map<String, Object> okWindow = window("echo-b");
    assertThat(number(okWindow, "status2xx") - number(okWindowBefore, "status2xx")).isEqualTo(ok);
    assertThat(number(okWindow, "requestsPerSecond") >= 0).isTrue();
    assertThat(((Number) okWindow.get("p99Millis")).doubleValue()).isPositive();
    Map<String, Object> failWindow = window("failing");
    assertThat(number(failWindow, "status5xx") - number(failWindowBefore, "status5xx"))
        .isEqualTo(failed);
  }

  @Test
  void everyApiIsListedAndAnUnknownNameIsNotFound() {
    var all =
        stub.withDeadlineAfter(5, TimeUnit.SECONDS)
            .modelStatistics(ModelStatisticsRequest.getDefaultInstance());
    assertThat(all.getModelStatsList())
        .extracting(ModelStatistics::getName)
        .contains("echo", "echo-b", "failing", "sleepy")
        .isSorted();
    assertThatThrownBy(() -> stats("classifier"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }
}
