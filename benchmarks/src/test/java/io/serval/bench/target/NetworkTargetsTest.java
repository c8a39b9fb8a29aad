package io.serval.bench.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.nio.NioEventLoopGroup;
import io.serval.bench.load.ClosedLoopRunner;
import io.serval.bench.load.LoadResult;
import io.serval.bench.workload.OutputTensor;
import io.serval.bench.workload.Workload;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The gRPC and REST clients encode requests and decode responses as the V2 protocol says. */
class NetworkTargetsTest {
  @TempDir static Path tmp;

  private static Vertx vertx;
  private static Vertx serverVertx;
  private static NioEventLoopGroup loops;
  private static FakeTinyServer server;
  private static Workload tiny;
  private static OutputTensor expected;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    serverVertx = Vertx.vertx();
    loops = new NioEventLoopGroup(1);
    server = new FakeTinyServer(serverVertx);
    tiny = Workload.named("tiny", tmp, tmp);
    try (InProcessModel model = new InProcessModel(tiny, 1, 1)) {
      expected = model.referenceOutput();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  @Test
  void grpcSendsRawContentsAndDecodesTheOutput() throws Exception {
    try (GrpcTarget target =
        new GrpcTarget(tiny, "127.0.0.1", server.grpcPort(), Duration.ofSeconds(10), loops)) {
      assertThat(expected.mismatch(target.fetchOutput(), 1e-6f)).isNull();
      LoadResult result =
          new ClosedLoopRunner().run(target, 4, Duration.ZERO, Duration.ofSeconds(30), 2000);
      assertThat(result.firstError()).isNull();
      assertThat(result.requests()).isEqualTo(2000);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void restSendsJsonOrBinaryAndDecodesTheOutput(boolean binary) throws Exception {
    try (RestTarget target =
        new RestTarget(
            tiny, "127.0.0.1", server.httpPort(), binary, 4, Duration.ofSeconds(10), vertx)) {
      assertThat(expected.mismatch(target.fetchOutput(), 1e-6f)).isNull();
    }
  }

  @Test
  void restCountsNonOkStatusesAsErrors() throws Exception {
    Workload mlp = Workload.named("mlp", tmp, tmp);
    // The fake server only knows a and b: an MLP request ("x") makes it answer 400.
    try (RestTarget target =
        new RestTarget(
            mlp, "127.0.0.1", server.httpPort(), false, 2, Duration.ofSeconds(10), vertx)) {
      LoadResult result =
          new ClosedLoopRunner().run(target, 2, Duration.ZERO, Duration.ofSeconds(30), 10);
      assertThat(result.errors()).isEqualTo(10);
      assertThat(result.firstError()).contains("HTTP 400");
    }
  }
}
