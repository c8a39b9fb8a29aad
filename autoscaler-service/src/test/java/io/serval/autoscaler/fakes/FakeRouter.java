package io.serval.autoscaler.fakes;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.serval.proto.control.ApiSample;
import io.serval.proto.control.StatsAck;
import io.serval.proto.control.StatsGrpc;
import io.serval.proto.control.StatsReport;
import io.serval.security.PlatformToken;
import io.serval.security.grpc.PlatformTokenClientInterceptor;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A router that streams in-flight samples to the autoscaler over the real Stats service: a report
 * every 250 ms (several per second, as a router's late report would be), at most {@link
 * #MAX_REPORTS} in all.
 */
public final class FakeRouter implements AutoCloseable {

  private static final int MAX_REPORTS = 2_000;

  private final String id;
  private final ManagedChannel channel;
  private final StreamObserver<StatsReport> stream;
  private final Map<String, Double> inFlight = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger sent = new AtomicInteger();
  private volatile boolean paused;

  /** Completes with the server's answer: the ack, or the error that ended the stream. */
  public final CompletableFuture<StatsAck> result = new CompletableFuture<>();

  public FakeRouter(String id, int port) {
    this(id, port, Optional.of(FakeOperatorResource.PLATFORM_TOKEN));
  }

  /**
   * @param token the platform token the stream carries, or none
   */
  public FakeRouter(String id, int port, Optional<String> token) {
    this.id = id;
    ManagedChannelBuilder<?> b = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext();
    token.ifPresent(
        t -> b.intercept(new PlatformTokenClientInterceptor(PlatformToken.of(t, "test"))));
    this.channel = b.build();
    this.stream =
        StatsGrpc.newStub(channel)
            .reportStats(
                new StreamObserver<>() {
                  @Override
                  public void onNext(StatsAck ack) {
                    result.complete(ack);
                  }

                  @Override
                  public void onError(Throwable t) {
                    result.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
  }

  public FakeRouter set(String api, double value) {
    inFlight.put(api, value);
    return this;
  }

  public FakeRouter startReporting() {
    timer.scheduleAtFixedRate(this::report, 0, 250, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Stops sending reports but keeps the stream open, as a hung router would. */
  public void pause() {
    paused = true;
  }

  /** Sends one report as given (for malformed ones). */
  public synchronized void send(StatsReport report) {
    stream.onNext(report);
  }

  private synchronized void report() {
    if (paused || sent.incrementAndGet() > MAX_REPORTS || result.isDone()) {
      return;
    }
    StatsReport.Builder b =
        StatsReport.newBuilder().setRouterId(id).setTimestampMillis(System.currentTimeMillis());
    inFlight.forEach((api, v) -> b.addSamples(ApiSample.newBuilder().setApi(api).setInFlight(v)));
    stream.onNext(b.build());
  }

  /** Stops reporting and ends the stream. */
  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(5, TimeUnit.SECONDS);
    synchronized (this) {
      if (!result.isDone()) {
        stream.onCompleted();
      }
    }
    channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
  }
}
