package io.serval.router.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Status;
import io.serval.proto.inference.ModelMetadataResponse;
import io.serval.proto.inference.ModelMetadataResponse.TensorMetadata;
import io.serval.router.dispatch.Answer;
import io.serval.router.dispatch.InferenceDispatcher;
import io.serval.router.dispatch.MetadataForwarder;
import io.serval.router.dispatch.UnknownTarget;
import io.serval.router.routing.RouteTableHolder;
import io.serval.router.wire.ServerInfo;
import io.serval.v2.EncodedBody;
import io.serval.v2.V2Exception;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.OptionalInt;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The router's V2 REST API around inference: server metadata, health, model readiness and metadata
 * (each also per version, like a predictor's). Inference itself is {@link InferRoute}. Nothing here
 * blocks: metadata returns a Uni completed by the forwarder's callback.
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class V2Resource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final InferenceDispatcher dispatcher;
  private final MetadataForwarder metadata;
  private final RouteTableHolder routes;
  private final String version;

  public V2Resource(
      InferenceDispatcher dispatcher,
      MetadataForwarder metadata,
      RouteTableHolder routes,
      @ConfigProperty(name = ServerInfo.VERSION_PROPERTY) String version) {
    this.dispatcher = dispatcher;
    this.metadata = metadata;
    this.routes = routes;
    this.version = version;
  }

  /** The V2 server metadata: name, the build's version, extensions (what serval version reads). */
  @GET
  public Response server() {
    ObjectNode root = JSON.createObjectNode().put("name", ServerInfo.NAME).put("version", version);
    ServerInfo.EXTENSIONS.forEach(root.putArray("extensions")::add);
    return Response.ok(root.toString()).build();
  }

  @GET
  @Path("/health/live")
  public Response live() {
    return Response.ok("{\"live\":true}").build();
  }

  @GET
  @Path("/health/ready")
  public Response ready() {
    return serverReady(routes);
  }

  static Response serverReady(RouteTableHolder routes) {
    if (routes.loaded()) {
      return Response.ok("{\"ready\":true}").build();
    }
    return V2Responses.error(V2Exception.unavailable("the router has no routes yet"), null);
  }

  @GET
  @Path("/models/{name}/ready")
  public Response modelReady(@PathParam("name") String name) {
    if (!routes.current().knows(name)) {
      return V2Responses.error(notFound(routes, name), null);
    }
    if (!dispatcher.ready(name)) {
      return V2Responses.error(
          V2Exception.unavailable("'" + name + "' has no ready replica"), null);
    }
    return Response.ok(JSON.createObjectNode().put("name", name).put("ready", true).toString())
        .build();
  }

  /**
   * Ready when the API has a ready replica and its model has this version: one replica is asked for
   * the version's metadata, which it refuses (404) for a version it does not serve.
   */
  @GET
  @Path("/models/{name}/versions/{version}/ready")
  public Uni<Response> modelVersionReady(
      @PathParam("name") String name, @PathParam("version") String version) {
    Response unversioned = modelReady(name);
    if (unversioned.getStatus() != 200) {
      return Uni.createFrom().item(unversioned);
    }
    return fetch(
        name,
        version,
        value -> JSON.createObjectNode().put("name", name).put("ready", true).toString());
  }

  @GET
  @Path("/models/{name}")
  public Uni<Response> modelMetadata(@PathParam("name") String name) {
    return fetch(name, "", V2Resource::metadataJson);
  }

  /** The metadata of the version; 404 when the model has no such version. */
  @GET
  @Path("/models/{name}/versions/{version}")
  public Uni<Response> modelVersionMetadata(
      @PathParam("name") String name, @PathParam("version") String version) {
    return fetch(name, version, V2Resource::metadataJson);
  }

  private Uni<Response> fetch(
      String name, String version, Function<ModelMetadataResponse, String> body) {
    return Uni.createFrom()
        .emitter(
            em -> {
              var handle =
                  metadata.fetch(
                      name,
                      version,
                      Long.MAX_VALUE,
                      new Answer<>() {
                        @Override
                        public void ok(ModelMetadataResponse value, String servedBy) {
                          em.complete(
                              Response.ok(body.apply(value))
                                  .header(V2Responses.REVISION_HEADER, servedBy)
                                  .build());
                        }

                        @Override
                        public void error(Status status, String servedBy) {
                          em.complete(V2Responses.error(status, servedBy));
                        }
                      });
              em.onTermination(handle::cancel);
            });
  }

  static OptionalInt headerLength(String value) {
    if (value == null) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      throw V2Exception.invalid(
          EncodedBody.HEADER_LENGTH_HEADER + " header '" + value + "' is not an integer");
    }
  }

  static V2Exception notFound(RouteTableHolder routes, String name) {
    return V2Exception.fromStatus(UnknownTarget.status(routes, name));
  }

  private static String metadataJson(ModelMetadataResponse m) {
    ObjectNode root = JSON.createObjectNode();
    root.put("name", m.getName());
    ArrayNode versions = root.putArray("versions");
    m.getVersionsList().forEach(versions::add);
    root.put("platform", m.getPlatform());
    tensors(root.putArray("inputs"), m.getInputsList());
    tensors(root.putArray("outputs"), m.getOutputsList());
    return root.toString();
  }

  private static void tensors(ArrayNode array, java.util.List<TensorMetadata> tensors) {
    for (TensorMetadata t : tensors) {
      ObjectNode o = array.addObject();
      o.put("name", t.getName());
      o.put("datatype", t.getDatatype());
      ArrayNode shape = o.putArray("shape");
      t.getShapeList().forEach(shape::add);
    }
  }
}
