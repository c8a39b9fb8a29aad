package io.serval.predictor.metrics;

import io.serval.proto.inference.InferBatchStatistics;
import io.serval.proto.inference.InferStatistics;
import io.serval.proto.inference.ModelStatistics;
import io.serval.proto.inference.StatisticDuration;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cumulative counts and durations of Triton's {@code ModelStatistics} for one model. Fed only
 * through {@link PredictorMetrics}, by the same calls that update the Prometheus meters, so the two
 * never count different events. Thread-safe; time of day from the injected clock.
 */
public final class InferenceStatistics {

  /** A count and a cumulative duration in nanoseconds. */
  static final class Duration {
    private final LongAdder count = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    void add(long n, long ns) {
      count.add(n);
      nanos.add(Math.max(0, ns));
    }

    StatisticDuration proto() {
      return StatisticDuration.newBuilder().setCount(count.sum()).setNs(nanos.sum()).build();
    }
  }

  private static final class BatchSize {
    final Duration input = new Duration();
    final Duration infer = new Duration();
    final Duration output = new Duration();
  }

  private final Clock clock;
  private final Duration success = new Duration();
  private final Duration fail = new Duration();
  private final Duration queue = new Duration();
  private final Duration computeInput = new Duration();
  private final Duration computeInfer = new Duration();
  private final Duration computeOutput = new Duration();
  private final LongAdder inferences = new LongAdder();
  private final LongAdder executions = new LongAdder();
  private final AtomicLong lastInferenceMillis = new AtomicLong();
  private final Map<Long, BatchSize> bySize = new ConcurrentSkipListMap<>();

  public InferenceStatistics(Clock clock) {
    this.clock = clock;
  }

  /** A request ended: answered ({@code ok}) or failed, {@code nanos} after it arrived. */
  public void request(boolean ok, long nanos) {
    (ok ? success : fail).add(1, nanos);
    lastInferenceMillis.accumulateAndGet(clock.millis(), Math::max);
  }

  /** One request left the batcher's queue after waiting {@code nanos}. */
  public void queued(long nanos) {
    queue.add(1, nanos);
  }

  /**
   * One model execution succeeded: a batch of {@code requests} requests holding {@code rows} rows,
   * with the time of each phase. Per request, the phases count once per request (Triton's rule: a
   * batched request is charged its batch's phases); per batch size, once per execution.
   */
  public void executed(int requests, int rows, long inputNanos, long inferNanos, long outputNanos) {
    executions.increment();
    inferences.add(rows);
    computeInput.add(requests, inputNanos * requests);
    computeInfer.add(requests, inferNanos * requests);
    computeOutput.add(requests, outputNanos * requests);
    BatchSize b = bySize.computeIfAbsent((long) rows, r -> new BatchSize());
    b.input.add(1, inputNanos);
    b.infer.add(1, inferNanos);
    b.output.add(1, outputNanos);
  }

  /** The counts so far, as Triton's message. */
  public ModelStatistics snapshot(String name, String version) {
    ModelStatistics.Builder m =
        ModelStatistics.newBuilder()
            .setName(name)
            .setVersion(version)
            .setLastInference(lastInferenceMillis.get())
            .setInferenceCount(inferences.sum())
            .setExecutionCount(executions.sum())
            .setInferenceStats(
                InferStatistics.newBuilder()
                    .setSuccess(success.proto())
                    .setFail(fail.proto())
                    .setQueue(queue.proto())
                    .setComputeInput(computeInput.proto())
                    .setComputeInfer(computeInfer.proto())
                    .setComputeOutput(computeOutput.proto())
                    .setCacheHit(StatisticDuration.getDefaultInstance())
                    .setCacheMiss(StatisticDuration.getDefaultInstance()));
    bySize.forEach(
        (size, b) ->
            m.addBatchStats(
                InferBatchStatistics.newBuilder()
                    .setBatchSize(size)
                    .setComputeInput(b.input.proto())
                    .setComputeInfer(b.infer.proto())
                    .setComputeOutput(b.output.proto())));
    return m.build();
  }
}
