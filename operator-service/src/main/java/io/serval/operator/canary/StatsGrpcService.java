package io.serval.operator.canary;

import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.serval.proto.control.ApiSample;
import io.serval.proto.control.RevisionSample;
import io.serval.proto.control.StatsAck;
import io.serval.proto.control.StatsGrpc;
import io.serval.proto.control.StatsReport;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * serval.control.v1.Stats on the operator: routers stream what each revision's replicas answered,
 * and the ledger keeps it for canary analysis. Times are the operator's, at receipt, so that
 * routers' clocks need not agree with the one that times rollout steps.
 */
@GrpcService
public class StatsGrpcService extends StatsGrpc.StatsImplBase {
  private static final Logger LOG = Logger.getLogger(StatsGrpcService.class);

  @Inject RevisionOutcomeLedger ledger;
  @Inject Clock clock;

  @Override
  public StreamObserver<StatsReport> reportStats(StreamObserver<StatsAck> ack) {
    return new StreamObserver<>() {
      @Override
      public void onNext(StatsReport report) {
        Instant now = clock.instant();
        for (ApiSample sample : report.getSamplesList()) {
          for (RevisionSample r : sample.getRevisionsList()) {
            ledger.record(sample.getApi(), r.getRevision(), r.getAnswered(), r.getFailed(), now);
          }
        }
      }

      @Override
      public void onError(Throwable t) {
        LOG.debugf("a router's stats stream ended: %s", t);
      }

      @Override
      public void onCompleted() {
        ack.onNext(StatsAck.getDefaultInstance());
        ack.onCompleted();
      }
    };
  }
}
