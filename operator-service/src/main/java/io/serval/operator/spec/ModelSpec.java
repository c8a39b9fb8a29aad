package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * The model file: uri is file:/abs.onnx, file:relative.onnx, http(s)://... or s3://bucket/key (the
 * rule is spec-rules' ModelUris); sha256 (optional) is the expected digest, and makes a new file
 * under the same uri a new revision.
 */
@JsonPropertyOrder({"uri", "platform", "sha256"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSpec(
    @Required
        @JsonPropertyDescription(
            "Where the ONNX model is: file:/abs.onnx, file:relative.onnx (relative to the operator's"
                + " working directory), http(s)://... or s3://bucket/key (downloaded once, cached;"
                + " S3 credentials from the predictors' environment).")
        String uri,
    @Pattern(PLATFORM_PATTERN) @JsonPropertyDescription("The model format; default onnx.")
        String platform,
    @Pattern(SHA256_PATTERN)
        @JsonPropertyDescription(
            "Expected SHA-256 digest of the model file (64 lowercase hex digits); a mismatch stops"
                + " the replica.")
        String sha256) {
  public static final String PLATFORM_ONNX = "onnx";

  /** The only platform: what SpecValidator accepts, as the CRD's pattern. */
  public static final String PLATFORM_PATTERN = "^" + PLATFORM_ONNX + "$";

  /** A digest as SpecValidator accepts it, and as the CRD's pattern. */
  public static final String SHA256_PATTERN = "^[0-9a-f]{64}$";
}
