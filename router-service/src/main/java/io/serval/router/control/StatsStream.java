package io.serval.router.control;

import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.serval.proto.control.StatsAck;
import io.serval.proto.control.StatsGrpc;
import io.serval.proto.control.StatsReport;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * One Stats.ReportStats stream to one receiver (the autoscaler or the operator). Best effort: while
 * the receiver is away reports are dropped and the stream is reopened with backoff.
 */
final class StatsStream implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StatsStream.class);

  private final String receiver;
  private final Channel channel;
  private final Clock clock;
  private final Backoff backoff;
  private volatile ClientCallStreamObserver<StatsReport> stream;
  private volatile long reconnectAtMillis;
  private volatile boolean closed;

  StatsStream(String receiver, Channel channel, Clock clock, Backoff backoff) {
    this.receiver = receiver;
    this.channel = channel;
    this.clock = clock;
    this.backoff = backoff;
  }

  /** Runs on the reporter's timer thread only. */
  void send(StatsReport report) {
    if (closed) {
      return;
    }
    if (stream == null) {
      if (clock.millis() < reconnectAtMillis) {
        return;
      }
      open();
    }
    ClientCallStreamObserver<StatsReport> s = stream;
    if (s == null) {
      return;
    }
    if (s.isReady()) {
      // Ready means the stream reached the receiver: the connection is healthy again.
      backoff.reset();
    }
    s.onNext(report);
  }

  private void open() {
    StatsGrpc.newStub(channel)
        .reportStats(
            new ClientResponseObserver<StatsReport, StatsAck>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<StatsReport> requestStream) {
                stream = requestStream;
              }

              @Override
              public void onNext(StatsAck ack) {}

              @Override
              public void onError(Throwable t) {
                broken("stats stream to the " + receiver + " failed: " + t);
              }

              @Override
              public void onCompleted() {
                broken("the " + receiver + " closed the stats stream");
              }
            });
  }

  private void broken(String why) {
    // Runs on a transport thread; the timer thread sees the null on its next send.
    long delay = backoff.nextDelayMillis();
    reconnectAtMillis = clock.millis() + delay;
    stream = null;
    LOG.debugf("%s; reopening in %d ms", why, delay);
  }

  @Override
  public void close() {
    closed = true;
    ClientCallStreamObserver<StatsReport> s = stream;
    if (s != null) {
      s.onCompleted();
    }
  }
}
