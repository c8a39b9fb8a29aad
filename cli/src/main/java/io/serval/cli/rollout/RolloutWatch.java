package io.serval.cli.rollout;

import io.serval.cli.client.ManagementClient;
import io.serval.cli.client.PlatformException;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Polls the management API and prints what {@link RolloutFollower}s see, until every resource has
 * settled or the deadline passes.
 */
public final class RolloutWatch {

  private final ManagementClient client;
  private final PrintWriter out;
  private final Duration poll;
  private final Duration timeout;
  private final LongSupplier nanoTime;

  public RolloutWatch(
      ManagementClient client,
      PrintWriter out,
      Duration poll,
      Duration timeout,
      LongSupplier nanoTime) {
    this.client = client;
    this.out = out;
    this.poll = poll;
    this.timeout = timeout;
    this.nanoTime = nanoTime;
  }

  /**
   * @return true when every resource is ready, false when one rolled back or is degraded
   * @throws CliException with {@link ExitCode#TIMED_OUT} past the deadline
   */
  public boolean follow(List<Target> targets) {
    List<RolloutFollower> followers = targets.stream().map(RolloutFollower::new).toList();
    long start = nanoTime.getAsLong();
    long deadline = start + timeout.toNanos();
    while (true) {
      boolean pending = false;
      for (RolloutFollower f : followers) {
        if (f.outcome().settled()) {
          continue;
        }
        try {
          f.observe(client.get(f.target().kind(), f.target().name()))
              .forEach(line -> print(start, line));
        } catch (PlatformException e) {
          if (e.exitCode() != ExitCode.NOT_FOUND) {
            throw e;
          }
          f.gone();
        }
        if (f.outcome().settled()) {
          print(start, f.outcomeMessage());
        } else {
          pending = true;
        }
      }
      if (!pending) {
        return followers.stream().noneMatch(f -> f.outcome().failed());
      }
      if (nanoTime.getAsLong() - deadline > 0) {
        List<String> waiting =
            followers.stream()
                .filter(f -> !f.outcome().settled())
                .map(f -> f.target().name())
                .toList();
        throw new CliException(
            ExitCode.TIMED_OUT,
            String.join(", ", waiting)
                + " did not settle within "
                + timeout.toSeconds()
                + "s; the rollout goes on in the platform (watch it with: serval get "
                + waiting.getFirst()
                + " --watch)");
      }
      pause(poll);
    }
  }

  private void print(long start, String line) {
    double seconds = (nanoTime.getAsLong() - start) / 1e9;
    out.println(String.format(Locale.ROOT, "[%5.1fs] %s", seconds, line));
    out.flush();
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.FAILED, "interrupted");
    }
  }
}
