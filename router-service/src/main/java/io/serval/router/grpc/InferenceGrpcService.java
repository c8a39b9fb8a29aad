package io.serval.router.grpc;

import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.ModelMetadataRequest;
import io.serval.proto.inference.ModelMetadataResponse;
import io.serval.proto.inference.ModelReadyRequest;
import io.serval.proto.inference.ModelReadyResponse;
import io.serval.proto.inference.ModelStatisticsRequest;
import io.serval.proto.inference.ModelStatisticsResponse;
import io.serval.proto.inference.ServerLiveRequest;
import io.serval.proto.inference.ServerLiveResponse;
import io.serval.proto.inference.ServerMetadataRequest;
import io.serval.proto.inference.ServerMetadataResponse;
import io.serval.proto.inference.ServerReadyRequest;
import io.serval.proto.inference.ServerReadyResponse;
import io.serval.router.dispatch.Answer;
import io.serval.router.dispatch.InferListener;
import io.serval.router.dispatch.InferenceDispatcher;
import io.serval.router.dispatch.InferenceDispatcher.Handle;
import io.serval.router.dispatch.MetadataForwarder;
import io.serval.router.dispatch.UnknownTarget;
import io.serval.router.queue.Ticker;
import io.serval.router.routing.RouteTableHolder;
import io.serval.router.stats.ApiTraffic;
import io.serval.router.wire.InferenceMethods;
import io.serval.router.wire.ModelNameField;
import io.serval.router.wire.ServerInfo;
import io.serval.v2.MalformedRequestGuard;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The router's {@code inference.GRPCInferenceService}. ModelInfer is a pass-through: the request
 * stays the bytes the client sent (only field 1, the model name, is read, and rewritten when the
 * predictors serve another name) and the predictor's answer goes back the same way. The other five
 * RPCs are answered by the router (ModelMetadata by asking one replica); ModelStatistics gives the
 * router's own counts per API ({@link ModelStatisticsView}).
 */
@GrpcService
@Singleton
public class InferenceGrpcService implements BindableService {
  private final InferenceDispatcher dispatcher;
  private final RouteTableHolder routes;
  private final MetadataForwarder metadata;
  private final ApiTraffic traffic;
  private final Ticker ticker = Ticker.system();

  private final String version;

  public InferenceGrpcService(
      InferenceDispatcher dispatcher,
      RouteTableHolder routes,
      MetadataForwarder metadata,
      ApiTraffic traffic,
      @ConfigProperty(name = ServerInfo.VERSION_PROPERTY) String version) {
    this.dispatcher = dispatcher;
    this.routes = routes;
    this.metadata = metadata;
    this.traffic = traffic;
    this.version = version;
  }

  /** A request that does not parse is answered INVALID_ARGUMENT (see MalformedRequestGuard). */
  @Override
  public ServerServiceDefinition bindService() {
    return MalformedRequestGuard.guard(methods());
  }

  private ServerServiceDefinition methods() {
    return ServerServiceDefinition.builder(InferenceMethods.SERVICE)
        .addMethod(InferenceMethods.MODEL_INFER_BYTES, new UnaryHandler<>(ticker, this::infer))
        .addMethod(
            GRPCInferenceServiceGrpc.getServerLiveMethod(),
            new UnaryHandler<ServerLiveRequest, ServerLiveResponse>(
                ticker,
                (req, d, reply) -> {
                  reply.ok(ServerLiveResponse.newBuilder().setLive(true).build(), null);
                  return Handle.NONE;
                }))
        .addMethod(
            GRPCInferenceServiceGrpc.getServerReadyMethod(),
            new UnaryHandler<ServerReadyRequest, ServerReadyResponse>(
                ticker,
                (req, d, reply) -> {
                  reply.ok(
                      ServerReadyResponse.newBuilder().setReady(routes.loaded()).build(), null);
                  return Handle.NONE;
                }))
        .addMethod(
            GRPCInferenceServiceGrpc.getServerMetadataMethod(),
            new UnaryHandler<ServerMetadataRequest, ServerMetadataResponse>(
                ticker,
                (req, d, reply) -> {
                  reply.ok(
                      ServerMetadataResponse.newBuilder()
                          .setName(ServerInfo.NAME)
                          .setVersion(version)
                          .addAllExtensions(ServerInfo.EXTENSIONS)
                          .build(),
                      null);
                  return Handle.NONE;
                }))
        .addMethod(
            GRPCInferenceServiceGrpc.getModelReadyMethod(),
            new UnaryHandler<>(ticker, this::modelReady))
        .addMethod(
            GRPCInferenceServiceGrpc.getModelMetadataMethod(),
            new UnaryHandler<>(ticker, this::modelMetadata))
        .addMethod(
            GRPCInferenceServiceGrpc.getModelStatisticsMethod(),
            new UnaryHandler<>(ticker, this::modelStatistics))
        .build();
  }

  private Handle infer(byte[] request, long clientDeadline, UnaryHandler.Reply<byte[]> reply) {
    String name;
    try {
      name = ModelNameField.read(request);
    } catch (IllegalArgumentException e) {
      reply.error(
          Status.INVALID_ARGUMENT.withDescription(
              "ModelInferRequest is malformed: " + e.getMessage()),
          null);
      return Handle.NONE;
    }
    if (name.isEmpty()) {
      reply.error(Status.INVALID_ARGUMENT.withDescription("model_name is empty"), null);
      return Handle.NONE;
    }
    return dispatcher.submit(
        name,
        request,
        clientDeadline,
        new InferListener() {
          @Override
          public void onResponse(byte[] response, String servedBy) {
            reply.ok(response, servedBy);
          }

          @Override
          public void onError(Status status, String servedBy) {
            reply.error(status, servedBy);
          }
        });
  }

  private Handle modelReady(
      ModelReadyRequest req, long clientDeadline, UnaryHandler.Reply<ModelReadyResponse> reply) {
    if (!routes.current().knows(req.getName())) {
      reply.error(notFound(req.getName()), null);
    } else {
      reply.ok(
          ModelReadyResponse.newBuilder().setReady(dispatcher.ready(req.getName())).build(), null);
    }
    return Handle.NONE;
  }

  private Handle modelMetadata(
      ModelMetadataRequest req,
      long clientDeadline,
      UnaryHandler.Reply<ModelMetadataResponse> reply) {
    return metadata.fetch(
        req.getName(),
        req.getVersion(),
        clientDeadline,
        new Answer<>() {
          @Override
          public void ok(ModelMetadataResponse value, String servedBy) {
            reply.ok(value, servedBy);
          }

          @Override
          public void error(Status status, String servedBy) {
            reply.error(status, servedBy);
          }
        });
  }

  private Handle modelStatistics(
      ModelStatisticsRequest req,
      long clientDeadline,
      UnaryHandler.Reply<ModelStatisticsResponse> reply) {
    String name = req.getName();
    if (!name.isEmpty() && routes.current().api(name) == null) {
      reply.error(
          Status.NOT_FOUND.withDescription(
              "no API named '"
                  + name
                  + "' (statistics are per API; a splitter's traffic counts in its APIs)"),
          null);
    } else {
      reply.ok(ModelStatisticsView.of(traffic, routes.current(), name), null);
    }
    return Handle.NONE;
  }

  private Status notFound(String name) {
    return UnknownTarget.status(routes, name);
  }
}
