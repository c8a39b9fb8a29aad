package io.serval.predictor.serving;

import io.serval.predictor.inference.InferenceEngine;
import io.serval.predictor.inference.RequestPreparer;
import io.serval.predictor.metrics.RequestOutcomes;
import io.serval.predictor.model.ModelSignature;
import io.serval.predictor.model.TensorSpec;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import io.serval.proto.inference.ModelMetadataResponse;
import io.serval.v2.InferRequestReader;
import io.serval.v2.InferResponseWriter;
import io.serval.v2.RawTensor;
import io.serval.v2.V2Exception;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The V2 operations on the served model, shared by the REST and gRPC front ends. */
public final class V2Inference {
  /** Platform string as Triton's configs spell it for ONNX Runtime. */
  public static final String PLATFORM = "onnxruntime_onnx";

  private final ServedModel model;
  private final InferenceEngine engine;
  private final RequestOutcomes outcomes;
  private final ModelMetadataResponse metadata;

  public V2Inference(ServedModel model, InferenceEngine engine, RequestOutcomes outcomes) {
    this.model = model;
    this.engine = engine;
    this.outcomes = outcomes;
    this.metadata = buildMetadata(model, engine.signature());
  }

  public ServedModel model() {
    return model;
  }

  public RequestOutcomes outcomes() {
    return outcomes;
  }

  public boolean ready() {
    return engine.ready();
  }

  /**
   * Runs one inference request.
   *
   * @param raw answer in raw_output_contents (gRPC does when the request used raw inputs; REST
   *     always, as its encoder reads raw bytes fastest)
   * @return completed on a worker thread; failed with a {@link V2Exception}
   */
  public CompletableFuture<ModelInferResponse> infer(ModelInferRequest req, boolean raw) {
    long start = System.nanoTime();
    CompletableFuture<List<RawTensor>> outputs;
    try {
      model.check(req.getModelName(), req.getModelVersion());
      List<RawTensor> inputs = InferRequestReader.inputs(req);
      List<String> requested = requestedOutputs(req);
      RequestPreparer.Prepared prepared = engine.prepare(inputs, requested);
      outputs = engine.submit(prepared);
    } catch (V2Exception e) {
      outcomes.failure(e.kind(), System.nanoTime() - start);
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      V2Exception v = V2Exception.internal("inference request failed: " + e.getMessage(), e);
      outcomes.failure(v.kind(), System.nanoTime() - start);
      return CompletableFuture.failedFuture(v);
    }
    String version = model.version().orElse(null);
    String id = req.getId();
    CompletableFuture<ModelInferResponse> response =
        outputs.handle(
            (outs, err) -> {
              if (err != null) {
                V2Exception v = asV2(err);
                outcomes.failure(v.kind(), System.nanoTime() - start);
                throw v;
              }
              ModelInferResponse resp =
                  InferResponseWriter.build(model.name(), version, id, outs, raw);
              outcomes.success(System.nanoTime() - start);
              return resp;
            });
    // Cancelling the answer (the caller went away) cancels the queued request behind it.
    response.whenComplete(
        (r, t) -> {
          if (response.isCancelled()) {
            outputs.cancel(false);
          }
        });
    return response;
  }

  private static List<String> requestedOutputs(ModelInferRequest req) {
    int n = req.getOutputsCount();
    if (n == 0) {
      return List.of();
    }
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = req.getOutputs(i).getName();
    }
    return List.of(names);
  }

  /** The V2 failure inside a future's exception, or INTERNAL for anything else. */
  public static V2Exception asV2(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof V2Exception v) {
      return v;
    }
    if (c instanceof CancellationException) {
      return V2Exception.cancelled("the request was cancelled before it ran");
    }
    return V2Exception.internal("inference failed: " + c, c);
  }

  /** Model metadata; NOT_FOUND for another name or version. */
  public ModelMetadataResponse metadata(String name, String version) {
    model.check(name, version);
    return metadata;
  }

  /** True when the name and version are served and the model is ready; NOT_FOUND otherwise. */
  public boolean modelReady(String name, String version) {
    model.check(name, version);
    return engine.ready();
  }

  private static ModelMetadataResponse buildMetadata(ServedModel model, ModelSignature sig) {
    ModelMetadataResponse.Builder b =
        ModelMetadataResponse.newBuilder().setName(model.name()).setPlatform(PLATFORM);
    model.version().ifPresent(b::addVersions);
    for (TensorSpec s : sig.inputs()) {
      b.addInputs(tensor(s));
    }
    for (TensorSpec s : sig.outputs()) {
      b.addOutputs(tensor(s));
    }
    b.putProperties("batchable", Boolean.toString(sig.batchable()));
    return b.build();
  }

  private static ModelMetadataResponse.TensorMetadata tensor(TensorSpec s) {
    ModelMetadataResponse.TensorMetadata.Builder t =
        ModelMetadataResponse.TensorMetadata.newBuilder()
            .setName(s.name())
            .setDatatype(s.datatype().name());
    for (long d : s.shape()) {
      t.addShape(d);
    }
    return t.build();
  }
}
