package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The model file: uri is file:/abs.onnx, file:relative.onnx or http(s)://...; sha256 (optional) is
 * the expected digest, and makes a new file under the same uri a new revision.
 */
@JsonPropertyOrder({"uri", "platform", "sha256"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSpec(String uri, String platform, String sha256) {
  public static final String PLATFORM_ONNX = "onnx";
}
