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
import io.serval.router.routing.RouteTableHolder;
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

/**
 * The router's V2 REST API around inference: health, model readiness and metadata. Inference itself
 * is {@link InferRoute}. Nothing here blocks: metadata returns a Uni completed by the forwarder's
 * callback.
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class V2Resource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final InferenceDispatcher dispatcher;
  private final MetadataForwarder metadata;
  private final RouteTableHolder routes;

  public V2Resource(
      InferenceDispatcher dispatcher, MetadataForwarder metadata, RouteTableHolder routes) {
    this.dispatcher = dispatcher;
    this.metadata = metadata;
    this.routes = routes;
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
      return V2Responses.error(notFound(name), null);
    }
    if (!dispatcher.ready(name)) {
      return V2Responses.error(
          V2Exception.unavailable("'" + name + "' has no ready replica"), null);
    }
    return Response.ok(JSON.createObjectNode().put("name", name).put("ready", true).toString())
        .build();
  }

  @GET
  @Path("/models/{name}")
  public Uni<Response> modelMetadata(@PathParam("name") String name) {
    return Uni.createFrom()
        .emitter(
            em -> {
              var handle =
                  metadata.fetch(
                      name,
                      Long.MAX_VALUE,
                      new Answer<>() {
                        @Override
                        public void ok(ModelMetadataResponse value, String servedBy) {
                          em.complete(
                              Response.ok(metadataJson(value))
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

  static V2Exception notFound(String name) {
    return V2Exception.notFound("no API or traffic splitter named '" + name + "'");
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
