package io.serval.bench.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.bench.workload.Workload;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InProcessBatchTargetTest {
  @TempDir Path dir;

  @Test
  void runsAFullBatchAtOnceWithoutWaitingForTheDelay() throws Exception {
    Workload tiny = Workload.named("tiny", dir, dir);
    try (InProcessModel model = new InProcessModel(tiny, 1, 1);
        InProcessBatchTarget target =
            new InProcessBatchTarget(model, 4, TimeUnit.SECONDS.toNanos(60))) {
      List<CompletableFuture<?>> calls =
          IntStream.range(0, 4).<CompletableFuture<?>>mapToObj(i -> target.call()).toList();
      // A minute's delay: only a batch released because it is full completes within 10 s.
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      assertThat(calls).allMatch(c -> c.isDone() && !c.isCompletedExceptionally());
    }
  }

  @Test
  void runsAnIncompleteBatchOnceTheDelayPassed() throws Exception {
    Workload tiny = Workload.named("tiny", dir, dir);
    try (InProcessModel model = new InProcessModel(tiny, 2, 1);
        InProcessBatchTarget target =
            new InProcessBatchTarget(model, 64, TimeUnit.MILLISECONDS.toNanos(5))) {
      List<CompletableFuture<?>> calls =
          IntStream.range(0, 3).<CompletableFuture<?>>mapToObj(i -> target.call()).toList();
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      assertThat(calls).allMatch(c -> !c.isCompletedExceptionally());
    }
  }
}
