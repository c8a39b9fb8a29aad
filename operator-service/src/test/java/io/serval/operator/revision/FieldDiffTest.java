package io.serval.operator.revision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldDiffTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text);
  }

  private static List<String> lines(List<FieldChange> changes) {
    return changes.stream().map(c -> c.path() + ": " + c.from() + " -> " + c.to()).toList();
  }

  @Test
  void equalTreesHaveNoChanges() throws Exception {
    String spec = "{\"a\": {\"b\": 1, \"c\": [1, 2]}, \"d\": null}";
    assertThat(FieldDiff.between("spec", json(spec), json(spec))).isEmpty();
  }

  @Test
  void changedLeavesAreListedWithTheirPathsAndBothValues() throws Exception {
    List<FieldChange> changes =
        FieldDiff.between(
            "spec",
            json(
                "{\"predictor\": {\"workers\": 1, \"threads\": 2}, \"traffic\": {\"t\": \"10s\"}}"),
            json(
                "{\"predictor\": {\"workers\": 1, \"threads\": 1}, \"traffic\": {\"t\": \"5s\"}}"));
    assertThat(lines(changes))
        .containsExactly("spec.predictor.threads: 2 -> 1", "spec.traffic.t: \"10s\" -> \"5s\"");
  }

  @Test
  void addedAndRemovedFieldsHaveOneSideAbsentAndNullCountsAsAbsent() throws Exception {
    List<FieldChange> changes =
        FieldDiff.between(
            "spec", json("{\"a\": 1, \"b\": null, \"c\": 3}"), json("{\"b\": 2, \"c\": 3}"));
    assertThat(lines(changes)).containsExactly("spec.a: 1 -> null", "spec.b: null -> 2");
  }

  @Test
  void arraysOfEqualLengthCompareByElementOtherwiseWhole() throws Exception {
    assertThat(
            lines(
                FieldDiff.between(
                    "spec",
                    json(
                        "{\"apis\": [{\"name\": \"a\", \"w\": 90}, {\"name\": \"b\", \"w\": 10}]}"),
                    json(
                        "{\"apis\": [{\"name\": \"a\", \"w\": 50}, {\"name\": \"b\", \"w\": 50}]}"))))
        .containsExactly("spec.apis[0].w: 90 -> 50", "spec.apis[1].w: 10 -> 50");
    assertThat(
            lines(FieldDiff.between("spec", json("{\"apis\": [1]}"), json("{\"apis\": [1, 2]}"))))
        .containsExactly("spec.apis: [1] -> [1,2]");
  }
}
