package io.serval.predictor.api;

import io.serval.predictor.metrics.Protocol;
import io.serval.predictor.metrics.RequestOutcomes;
import io.serval.predictor.runtime.PredictorRuntime;
import io.serval.predictor.serving.V2Inference;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelMetadataResponse;
import io.serval.v2.EncodedBody;
import io.serval.v2.RestInferRequestDecoder;
import io.serval.v2.RestInferResponseEncoder;
import io.serval.v2.V2Exception;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Open Inference Protocol V2 over REST. Inference answers from the batcher's future without
 * blocking the event loop: decoding runs on the I/O thread, the model on a worker.
 */
@Path("/v2")
public class V2RestResource {
  private static final String JSON = "application/json";

  @Inject PredictorRuntime runtime;

  @ConfigProperty(name = "quarkus.application.version", defaultValue = "0.1.0")
  String serverVersion;

  @GET
  public Response server() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", ServerInfo.NAME);
    body.put("version", serverVersion);
    body.put("extensions", ServerInfo.EXTENSIONS);
    return Response.ok(body, JSON).build();
  }

  @GET
  @Path("health/live")
  public Response live() {
    return Response.ok(Map.of("live", true), JSON).build();
  }

  @GET
  @Path("health/ready")
  public Response ready() {
    boolean ready = runtime.v2() != null && runtime.v2().ready();
    return Response.status(ready ? 200 : 503).entity(Map.of("ready", ready)).type(JSON).build();
  }

  @GET
  @Path("models/{model}")
  public Response metadata(@PathParam("model") String model) {
    return metadata(model, "");
  }

  @GET
  @Path("models/{model}/versions/{version}")
  public Response metadata(@PathParam("model") String model, @PathParam("version") String version) {
    try {
      return Response.ok(metadataJson(runtime.v2OrUnavailable().metadata(model, version)), JSON)
          .build();
    } catch (V2Exception e) {
      return error(e);
    }
  }

  @GET
  @Path("models/{model}/ready")
  public Response modelReady(@PathParam("model") String model) {
    return modelReady(model, "");
  }

  @GET
  @Path("models/{model}/versions/{version}/ready")
  public Response modelReady(
      @PathParam("model") String model, @PathParam("version") String version) {
    try {
      boolean ready = runtime.v2OrUnavailable().modelReady(model, version);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", model);
      body.put("ready", ready);
      return Response.status(ready ? 200 : 503).entity(body).type(JSON).build();
    } catch (V2Exception e) {
      return error(e);
    }
  }

  @POST
  @Path("models/{model}/infer")
  public CompletionStage<Response> infer(
      @PathParam("model") String model,
      @HeaderParam(EncodedBody.HEADER_LENGTH_HEADER) String headerLength,
      byte[] body) {
    return infer(model, "", headerLength, body);
  }

  @POST
  @Path("models/{model}/versions/{version}/infer")
  public CompletionStage<Response> infer(
      @PathParam("model") String model,
      @PathParam("version") String version,
      @HeaderParam(EncodedBody.HEADER_LENGTH_HEADER) String headerLength,
      byte[] body) {
    long start = System.nanoTime();
    V2Inference v2 = runtime.v2();
    if (v2 == null) {
      return CompletableFuture.completedFuture(error(runtime.unavailableWhileLoading()));
    }
    RequestOutcomes outcomes = v2.outcomes();
    ModelInferRequest req;
    try {
      v2.model().check(model, version);
      req = RestInferRequestDecoder.decode(model, version, body, parseLength(headerLength));
    } catch (V2Exception e) {
      return CompletableFuture.completedFuture(failed(outcomes, e, start));
    }
    return v2.infer(req, true)
        .handle(
            (resp, err) -> {
              if (err != null) {
                return failed(outcomes, V2Inference.asV2(err), start);
              }
              try {
                EncodedBody enc = RestInferResponseEncoder.encode(resp, req);
                Response.ResponseBuilder rb = Response.ok(enc.body(), enc.contentType());
                enc.inferenceHeaderContentLength()
                    .ifPresent(n -> rb.header(EncodedBody.HEADER_LENGTH_HEADER, n));
                outcomes.finished(Protocol.REST, null, System.nanoTime() - start);
                return rb.build();
              } catch (V2Exception e) {
                return failed(outcomes, e, start);
              }
            });
  }

  private static Response failed(RequestOutcomes outcomes, V2Exception e, long start) {
    outcomes.finished(Protocol.REST, e.kind(), System.nanoTime() - start);
    return error(e);
  }

  private static OptionalInt parseLength(String value) {
    if (value == null || value.isBlank()) {
      return OptionalInt.empty();
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return OptionalInt.of(n);
    } catch (NumberFormatException e) {
      throw V2Exception.invalid(
          EncodedBody.HEADER_LENGTH_HEADER
              + " must be a non-negative integer, was '"
              + value
              + "'");
    }
  }

  static Response error(V2Exception e) {
    return Response.status(e.httpStatus()).entity(e.errorJson()).type(JSON).build();
  }

  private static Map<String, Object> metadataJson(ModelMetadataResponse m) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", m.getName());
    if (m.getVersionsCount() > 0) {
      body.put("versions", m.getVersionsList());
    }
    body.put("platform", m.getPlatform());
    body.put("inputs", tensors(m.getInputsList()));
    body.put("outputs", tensors(m.getOutputsList()));
    if (m.getPropertiesCount() > 0) {
      body.put("properties", m.getPropertiesMap());
    }
    return body;
  }

  private static List<Map<String, Object>> tensors(List<ModelMetadataResponse.TensorMetadata> ts) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ModelMetadataResponse.TensorMetadata t : ts) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", t.getName());
      m.put("datatype", t.getDatatype());
      m.put("shape", t.getShapeList());
      out.add(m);
    }
    return out;
  }
}
