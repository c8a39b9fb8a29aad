package io.serval.router.dispatch;

import io.grpc.CallOptions;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.ServerReadyRequest;
import io.serval.proto.inference.ServerReadyResponse;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Health-checks ejected replicas (V2 ServerReady) and readmits those that answer ready. */
public final class ReplicaProber {
  private static final Logger LOG = Logger.getLogger(ReplicaProber.class);

  private final ReplicaEjector ejector;
  private final ReplicaChannels channels;
  private final InferenceDispatcher dispatcher;

  public ReplicaProber(
      ReplicaEjector ejector, ReplicaChannels channels, InferenceDispatcher dispatcher) {
    this.ejector = ejector;
    this.channels = channels;
    this.dispatcher = dispatcher;
  }

  public void start(ScheduledExecutorService timer, Duration interval) {
    long ms = Math.max(1, interval.toMillis());
    timer.scheduleWithFixedDelay(this::probeAll, ms, ms, TimeUnit.MILLISECONDS);
  }

  void probeAll() {
    for (String replica : ejector.ejected()) {
      probe(replica);
    }
  }

  private void probe(String replica) {
    try {
      ClientCalls.asyncUnaryCall(
          channels
              .get(replica)
              .newCall(
                  GRPCInferenceServiceGrpc.getServerReadyMethod(),
                  CallOptions.DEFAULT.withDeadlineAfter(1, TimeUnit.SECONDS).withWaitForReady()),
          ServerReadyRequest.getDefaultInstance(),
          new StreamObserver<ServerReadyResponse>() {
            @Override
            public void onNext(ServerReadyResponse r) {
              if (r.getReady()) {
                LOG.infof("replica %s is ready again: readmitted", replica);
                ejector.readmit(replica);
                dispatcher.drainAll();
              }
            }

            @Override
            public void onError(Throwable t) {
              LOG.debugf("replica %s still failing its health check: %s", replica, t.toString());
            }

            @Override
            public void onCompleted() {}
          });
    } catch (RuntimeException e) {
      LOG.debugf("health check of %s could not start: %s", replica, e.toString());
    }
  }
}
