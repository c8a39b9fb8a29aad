package io.serval.router.fakes;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.serval.router.fakes.FakePredictor.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starts fake predictors and a fake control plane, and writes the static routes file the router
 * under test serves. One instance serves every @QuarkusTest (one application boot).
 */
public class FakePredictorsResource implements QuarkusTestResourceLifecycleManager {
  public static FakePredictor echoA;
  public static FakePredictor echoB;
  public static FakePredictor mirror;
  public static FakePredictor slow;
  public static FakePredictor failing;
  public static FakePredictor retryTarget;

  /**
   * Replicas of API "crash": {@code doomed} holds its answers (a replica mid-work) and is reached
   * through {@code doomedRelay}, which the test kills under load.
   */
  public static FakePredictor doomed;

  public static KillableRelay doomedRelay;

  public static FakePredictor survivor;
  public static String refusedAddress;
  public static FakeControlPlane control;
  public static int grpcPort;

  /**
   * Queue limit of the APIs served by the SLOW predictor: "busy" (one slot, timeout 30 s, for
   * queue-full tests) and "slow" (one slot, timeout 1 s, for deadline tests).
   */
  public static final int SLOW_QUEUE = 2;

  @Override
  public Map<String, String> start() {
    try {
      echoA = new FakePredictor("a", Mode.NORMAL);
      echoB = new FakePredictor("b", Mode.NORMAL);
      mirror = new FakePredictor("mirror", Mode.NORMAL);
      slow = new FakePredictor("slow", Mode.SLOW);
      failing = new FakePredictor("failing", Mode.FAILING);
      retryTarget = new FakePredictor("retry", Mode.NORMAL);
      doomed = new FakePredictor("doomed", Mode.SLOW);
      survivor = new FakePredictor("survivor", Mode.NORMAL);
      doomedRelay = new KillableRelay(doomed.address());
      refusedAddress = "127.0.0.1:" + freePort();
      control = new FakeControlPlane();
      grpcPort = freePort();
      Path routes = Files.createTempFile("serval-routes", ".yaml");
      Files.writeString(routes, routesYaml());
      return Map.of(
          "serval.router.routes-file", routes.toString(),
          "serval.router.autoscaler-address", control.address(),
          "serval.router.operator-address", control.address(),
          "serval.router.stats-interval", "200ms",
          "serval.router.wake-up.min-interval", "1h",
          "quarkus.grpc.server.test-port", Integer.toString(grpcPort));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String routesYaml() {
    return """
        version: 1
        apis:
          - name: echo
            modelName: model
            limits: {maxConcurrency: 4, maxQueueLength: 50, timeout: 5s}
            revisions:
              - {revision: r1, trafficPercent: 100, endpoints: [{address: "%s"}]}
          - name: ephemeral
            modelName: model
            asyncResultTtl: 1500ms
            limits: {maxConcurrency: 4, maxQueueLength: 50, timeout: 5s}
            revisions:
              - {revision: r1, trafficPercent: 100, endpoints: [{address: "%s"}]}
          - name: echo-b
            modelName: model
            limits: {maxConcurrency: 4, maxQueueLength: 50, timeout: 5s}
            revisions:
              - {revision: r1, trafficPercent: 100, endpoints: [{address: "%s"}]}
          - name: mirror
            modelName: model
            limits: {maxConcurrency: 8, maxQueueLength: 1000, timeout: 5s}
            revisions:
              - {revision: r1, trafficPercent: 100, endpoints: [{address: "%s"}]}
          - name: rollout
            limits: {maxConcurrency: 4, maxQueueLength: 50, timeout: 5s}
            revisions:
              - {revision: blue, trafficPercent: 80, endpoints: [{address: "%s"}]}
              - {revision: green, trafficPercent: 20, endpoints: [{address: "%s"}]}
          - name: slow
            limits: {maxConcurrency: 1, maxQueueLength: %d, timeout: 1s}
            revisions:
              - {revision: r1, trafficPercent: 100, endpoints: [{address: "%s"}]}
          - name: busy
            limits: {maxConcurrency: 1, maxQueueLength: %d, timeout: 30s}
            revisions:
              - {revision: r1, trafficPercent: 100, endpoints: [{address: "%s"}]}
          - name: failing
            revisions:
              - {revision: r1, trafficPercent: 100, endpoints: [{address: "%s"}]}
          - name: retry
            limits: {maxConcurrency: 8, maxQueueLength: 50, timeout: 5s}
            revisions:
              - {revision: r1, trafficPercent: 100, endpoints: [{address: "%s"}, {address: "%s"}]}
          - name: crash
            limits: {maxConcurrency: 8, maxQueueLength: 50, timeout: 5s}
            revisions:
              - {revision: r1, trafficPercent: 100, endpoints: [{address: "%s"}, {address: "%s"}]}
          - name: sleepy
            scaledToZero: true
            limits: {timeout: 300ms}
            revisions:
              - {revision: r1, trafficPercent: 100}
        splitters:
          - name: classifier
            targets:
              - {api: echo, weight: 70}
              - {api: echo-b, weight: 30}
              - {api: mirror, weight: 100, shadow: true}
        """
        .formatted(
            echoA.address(),
            echoA.address(),
            echoB.address(),
            mirror.address(),
            echoA.address(),
            echoB.address(),
            SLOW_QUEUE,
            slow.address(),
            SLOW_QUEUE,
            slow.address(),
            failing.address(),
            refusedAddress,
            retryTarget.address(),
            doomedRelay.address(),
            survivor.address());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void stop() {
    for (AutoCloseable c :
        List.of(
            echoA,
            echoB,
            mirror,
            slow,
            failing,
            retryTarget,
            doomedRelay,
            doomed,
            survivor,
            control)) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort at shutdown
      }
    }
  }
}
