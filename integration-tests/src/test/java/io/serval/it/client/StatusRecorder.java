package io.serval.it.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls an API's status in the background and keeps every change of its traffic shares and rollout
 * condition, with the time it was first seen (System.nanoTime()).
 */
public final class StatusRecorder implements AutoCloseable {

  /** A status as first seen at {@code nanos}. */
  public record Change(long nanos, Map<String, Integer> traffic, String rollout, String message) {}

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("status-recorder").unstarted(r));
  private final List<Change> changes = new CopyOnWriteArrayList<>();

  public StatusRecorder(ManagementClient management, String api, Duration period) {
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            ApiState s = management.api(api);
            Change c =
                new Change(
                    System.nanoTime(),
                    s.traffic(),
                    s.conditionReason("RolloutInProgress"),
                    s.conditionMessage("RolloutInProgress"));
            Change last = changes.isEmpty() ? null : changes.getLast();
            if (last == null
                || !Objects.equals(last.traffic(), c.traffic())
                || !Objects.equals(last.rollout(), c.rollout())) {
              changes.add(c);
            }
          } catch (RuntimeException | AssertionError e) {
            // the operator may be briefly unreachable; the next poll records the state
          }
        },
        0,
        period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  public List<Change> changes() {
    return new ArrayList<>(changes);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
