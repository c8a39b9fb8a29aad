package io.serval.operator.revision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.serval.operator.spec.ComputeSpec;
import io.serval.operator.spec.ModelSpec;
import io.serval.operator.spec.PredictorSpec;
import io.serval.operator.spec.RealtimeApiSpec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A revision id: the first 10 hex digits of the SHA-256 of the canonical JSON of the sections a
 * replica is built from (model, predictor, compute). The same sections always give the same id, on
 * any operator, so a re-apply is recognised and Kubernetes objects can be named after it.
 */
public final class RevisionId {

  private static final int LENGTH = 10;

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private RevisionId() {}

  public static String of(RealtimeApiSpec spec) {
    return of(spec.model(), spec.predictor(), spec.compute());
  }

  public static String of(ModelSpec model, PredictorSpec predictor, ComputeSpec compute) {
    Map<String, Object> sections = new LinkedHashMap<>();
    sections.put("compute", compute);
    sections.put("model", model);
    sections.put("predictor", predictor);
    try {
      byte[] json = CANONICAL.writeValueAsBytes(sections);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
      return HexFormat.of().formatHex(digest).substring(0, LENGTH);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash revision sections", e);
    }
  }

  /**
   * For logs and messages: what was hashed, so that an unexpected new revision can be explained.
   */
  static String canonicalJson(RealtimeApiSpec spec) throws JsonProcessingException {
    return CANONICAL.writeValueAsString(
        Map.of("compute", spec.compute(), "model", spec.model(), "predictor", spec.predictor()));
  }
}
