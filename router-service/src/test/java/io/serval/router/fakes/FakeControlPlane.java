package io.serval.router.fakes;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.serval.proto.control.ScalingGrpc;
import io.serval.proto.control.StatsAck;
import io.serval.proto.control.StatsGrpc;
import io.serval.proto.control.StatsReport;
import io.serval.proto.control.WakeUpRequest;
import io.serval.proto.control.WakeUpResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A fake autoscaler (Stats) and operator (Scaling.WakeUp) that record what the router sends. */
public final class FakeControlPlane implements AutoCloseable {
  private final Server server;
  private final ConcurrentLinkedQueue<StatsReport> reports = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> wakeUps = new ConcurrentLinkedQueue<>();

  public FakeControlPlane() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new StatsGrpc.StatsImplBase() {
                  @Override
                  public StreamObserver<StatsReport> reportStats(StreamObserver<StatsAck> ack) {
                    return new StreamObserver<>() {
                      @Override
                      public void onNext(StatsReport r) {
                        reports.add(r);
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {
                        ack.onNext(StatsAck.getDefaultInstance());
                        ack.onCompleted();
                      }
                    };
                  }
                })
            .addService(
                new ScalingGrpc.ScalingImplBase() {
                  @Override
                  public void wakeUp(WakeUpRequest req, StreamObserver<WakeUpResponse> out) {
                    wakeUps.add(req.getApi());
                    out.onNext(WakeUpResponse.newBuilder().setDesiredReplicas(1).build());
                    out.onCompleted();
                  }
                })
            .build()
            .start();
  }

  public String address() {
    return "127.0.0.1:" + server.getPort();
  }

  public List<StatsReport> reports() {
    return new ArrayList<>(reports);
  }

  public List<String> wakeUps() {
    return new ArrayList<>(wakeUps);
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
