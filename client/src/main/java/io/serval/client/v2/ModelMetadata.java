package io.serval.client.v2;

import java.util.List;

/**
 * A model's V2 metadata ({@code GET /v2/models/{name}}, gRPC ModelMetadata).
 *
 * @param name the API (or splitter) name
 * @param versions the versions the router names
 * @param platform the serving platform, e.g. {@code onnxruntime_onnx}
 * @param inputs the inputs the model takes
 * @param outputs the outputs it gives
 */
public record ModelMetadata(
    String name,
    List<String> versions,
    String platform,
    List<TensorMetadata> inputs,
    List<TensorMetadata> outputs) {

  /**
   * One input or output.
   *
   * @param shape the dimensions, -1 where any size goes
   */
  public record TensorMetadata(String name, String datatype, List<Long> shape) {}
}
