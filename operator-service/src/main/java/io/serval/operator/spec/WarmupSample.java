package io.serval.operator.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serval.v2.RestInferRequestDecoder;
import io.serval.v2.V2Exception;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.OptionalInt;

/**
 * {@code spec.predictor.warmup}: a V2 inference request body (the REST JSON form, inline in the
 * spec) that every replica runs once before it reports ready, like Triton's model_warmup. Checked
 * at deploy time with the predictor's own decoder; whether it fits the model (names, shapes) only
 * the replica can tell, and a sample that does not fit is a warning there, not a dead replica.
 */
public final class WarmupSample {

  /** A sample is one request, not a data set: it travels in an environment variable. */
  public static final int MAX_BYTES = 64 * 1024;

  static final String PATH = "spec.predictor.warmup";

  private static final ObjectMapper JSON = new ObjectMapper();

  private WarmupSample() {}

  /** Reports what makes {@code warmup} unusable, under its field path. */
  static void check(JsonNode warmup, Problems.Scope p) {
    if (warmup == null) {
      return;
    }
    if (!warmup.isObject()) {
      p.add(PATH, "must be a V2 inference request (a mapping with inputs), got " + kind(warmup));
      return;
    }
    byte[] json = bytes(warmup);
    if (json.length > MAX_BYTES) {
      p.add(
          PATH,
          "must be at most "
              + MAX_BYTES / 1024
              + " KiB as JSON (one sample request), got "
              + json.length
              + " bytes");
      return;
    }
    try {
      RestInferRequestDecoder.decode("warmup", "", json, OptionalInt.empty());
    } catch (V2Exception e) {
      p.add(PATH, "is not a valid V2 inference request: " + e.getMessage());
    }
  }

  /**
   * The value of the predictor's serval.predictor.warmup-request: the sample's compact JSON, base64
   * encoded (no quoting or ${...} expansion on its way through -D options and the environment).
   */
  public static String predictorSetting(JsonNode warmup) {
    return Base64.getEncoder().encodeToString(bytes(warmup));
  }

  private static byte[] bytes(JsonNode warmup) {
    try {
      return JSON.writeValueAsString(warmup).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a parsed JSON tree", e);
    }
  }

  private static String kind(JsonNode n) {
    return n.isArray() ? "a list" : n.isTextual() ? "a string" : n.toString();
  }
}
