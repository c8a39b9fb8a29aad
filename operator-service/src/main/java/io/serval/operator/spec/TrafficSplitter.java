package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One name in front of several APIs, picked by weight, with an optional shadow. */
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec"})
public record TrafficSplitter(String apiVersion, String kind, Metadata metadata, SplitterSpec spec)
    implements Resource {

  public static final String KIND = "TrafficSplitter";

  public TrafficSplitter(Metadata metadata, SplitterSpec spec) {
    this(API_VERSION, KIND, metadata, spec);
  }
}
