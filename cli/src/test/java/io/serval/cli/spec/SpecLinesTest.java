package io.serval.cli.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpecLinesTest {

  private static final String TWO_DOCS =
      """
      # a comment
      kind: RealtimeApi
      metadata: {name: a}
      spec:
        model: {uri: "file:m.onnx"}
        autoscaling:
          minReplicas: -1
      ---
      kind: TrafficSplitter
      metadata:
        name: s
      spec:
        apis:
          - {name: a, weight: 90}
          - name: b
            weight: 20
      ---
      kind: Foo
      """;

  @Test
  void findsTheFieldOfTheNamedDocument() {
    SpecLines lines = SpecLines.of(TWO_DOCS);

    assertThat(lines.lineOf("a: spec.autoscaling.minReplicas: must be >= 0")).hasValue(7);
    assertThat(lines.lineOf("s: spec.apis[1].weight: weights must sum to 100")).hasValue(16);
    assertThat(lines.lineOf("s: spec.apis[0].weight: bad")).hasValue(14);
  }

  @Test
  void aMissingFieldPointsAtItsParent() {
    SpecLines lines = SpecLines.of(TWO_DOCS);

    assertThat(lines.lineOf("a: spec.autoscaling.maxReplicas: required")).hasValue(6);
    assertThat(lines.lineOf("a: spec.traffic: required")).hasValue(4);
  }

  @Test
  void unnamedDocumentsGoByNumber() {
    SpecLines lines = SpecLines.of(TWO_DOCS);

    assertThat(lines.lineOf("document 3: kind: must be one of RealtimeApi, TrafficSplitter"))
        .hasValue(18);
    assertThat(lines.lineOf("document 3: metadata: required")).hasValue(18);
  }

  @Test
  void jsonArraysCountEachElementAsADocument() {
    SpecLines lines =
        SpecLines.of(
            "[\n{\"kind\": \"RealtimeApi\", \"metadata\": {\"name\": \"a\"}},\n"
                + "{\"kind\": \"X\",\n \"spec\": {}}\n]");

    assertThat(lines.lineOf("document 2: spec: bad")).hasValue(4);
  }

  @Test
  void unknownResourcesAndUnparsableTextMapToNothing() {
    assertThat(SpecLines.of(TWO_DOCS).lineOf("zzz: spec: bad")).isEmpty();
    assertThat(SpecLines.of(TWO_DOCS).lineOf("cannot parse YAML")).isEmpty();
    assertThat(SpecLines.of("{{{").lineOf("document 1: kind: bad")).isEmpty();
  }
}
