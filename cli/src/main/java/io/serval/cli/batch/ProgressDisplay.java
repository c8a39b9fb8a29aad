package io.serval.cli.batch;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Shows a followed job's progress: on a terminal one line redrawn in place, elsewhere (a pipe, a
 * file, CI logs) plain lines at a bounded rate, without control characters.
 */
public abstract sealed class ProgressDisplay {

  /** How far back the rate is smoothed. */
  public static final Duration RATE_WINDOW = Duration.ofSeconds(10);

  protected final PrintWriter out;
  protected final Throughput throughput;

  private ProgressDisplay(PrintWriter out, Clock clock) {
    this.out = out;
    this.throughput = new Throughput(clock, RATE_WINDOW);
  }

  /** The display for a terminal (redrawn) or not (lines every interval or tenth). */
  public static ProgressDisplay of(boolean terminal, PrintWriter out, Clock clock, Duration every) {
    return terminal ? new Redrawn(out, clock) : new Lines(out, clock, every);
  }

  /** A new reading of the job. */
  public final void show(JobState s) {
    throughput.record(s.done());
    render(s);
    out.flush();
  }

  protected abstract void render(JobState s);

  /** The job has finished (or following stops): leave the display in a state to print below. */
  public abstract void finish();

  /** One line, redrawn in place with a carriage return; padded to cover a longer previous one. */
  static final class Redrawn extends ProgressDisplay {
    private int previous;

    Redrawn(PrintWriter out, Clock clock) {
      super(out, clock);
    }

    @Override
    protected void render(JobState s) {
      String line = ProgressLine.of(s, throughput.rate(), throughput.eta(s.total()), true);
      out.print("\r" + line + " ".repeat(Math.max(0, previous - line.length())));
      previous = line.length();
    }

    @Override
    public void finish() {
      if (previous > 0) {
        out.println();
        out.flush();
        previous = 0;
      }
    }
  }

  /**
   * Plain lines: the first reading, then one when a tenth more of the items is done, the status
   * changes or every has passed since the last line, whichever comes first; and the last reading.
   * At most about ten lines plus one per interval, however often the job is read.
   */
  static final class Lines extends ProgressDisplay {
    private final Clock clock;
    private final Duration every;
    private Instant last;
    private int lastTenth = -1;
    private JobStatus lastStatus;
    private String pending;

    Lines(PrintWriter out, Clock clock, Duration every) {
      super(out, clock);
      this.clock = clock;
      this.every = every;
    }

    @Override
    protected void render(JobState s) {
      Instant now = clock.instant();
      int tenth = s.total() == null ? -1 : ProgressLine.percent(s) / 10;
      String line = ProgressLine.of(s, throughput.rate(), throughput.eta(s.total()), false);
      boolean due =
          last == null
              || s.status() != lastStatus
              || tenth > lastTenth
              || !now.isBefore(last.plus(every));
      if (due) {
        out.println(line);
        last = now;
        lastTenth = tenth;
        lastStatus = s.status();
        pending = null;
      } else {
        pending = line;
      }
    }

    @Override
    public void finish() {
      if (pending != null) {
        out.println(pending);
        out.flush();
        pending = null;
      }
    }
  }
}
