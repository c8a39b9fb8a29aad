package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A model served as a realtime prediction API. */
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec"})
public record RealtimeApi(String apiVersion, String kind, Metadata metadata, RealtimeApiSpec spec)
    implements Resource {

  public static final String KIND = "RealtimeApi";

  public RealtimeApi(Metadata metadata, RealtimeApiSpec spec) {
    this(API_VERSION, KIND, metadata, spec);
  }

  public RealtimeApi withSpec(RealtimeApiSpec newSpec) {
    return new RealtimeApi(apiVersion, kind, metadata, newSpec);
  }
}
